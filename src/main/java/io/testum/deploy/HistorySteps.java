package io.testum.deploy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.testum.inventory.InventoryChanged;

/**
 * What one deployment or drift check adds to a pair's access history, from what it saw on the host
 * (pure: no I/O). A block in force that the host still holds is only seen again; a block found
 * changed ends it and starts a {@code drift} interval with the keys found; the desired block, once
 * testum proved it in place (or a read found it there), starts a {@code managed} interval with the
 * changes behind it. An attempt that saw nothing (a failed or unreachable deployment) adds nothing:
 * the block in force stays in force, as a failed write leaves the file as it was.
 */
final class HistorySteps {

    private HistorySteps() {
    }

    /** The block interval in force for a pair, as stored: what it records, and its content's id. */
    record OpenBlock(Observed observed, String contentId) {
    }

    /** One change to a pair's block intervals, in order. */
    sealed interface Step {
    }

    /** The block interval in force was seen still in force at {@code at}. */
    record Seen(Instant at) implements Step {
    }

    /** The block interval in force ends at {@code at}. */
    record Close(Instant at, IntervalEnd ended) implements Step {
    }

    /** A block interval starts at {@code from}. */
    record Open(Observed observed, String contentId, List<BlockKey> keys, Instant from, List<InventoryChanged.Cause> changes)
            implements Step {
    }

    static List<Step> of(OpenBlock open, DeploymentRepository.Outcome outcome, DeploymentRecord record) {
        DeploymentRepository.Observation seen = outcome.observation();
        List<Step> steps = new ArrayList<>();
        if (seen == null) {
            return steps;
        }
        OpenBlock current = open;
        if (seen.drift() != null) {
            DeploymentRepository.Drift drift = seen.drift();
            String id = ManagedBlock.hash(drift.block() == null ? "" : drift.block());
            if (current != null && current.observed() == Observed.DRIFT && current.contentId().equals(id)) {
                steps.add(new Seen(drift.at()));
            } else {
                if (current != null) {
                    steps.add(new Close(drift.at(), IntervalEnd.CHANGED_ON_HOST));
                }
                steps.add(new Open(Observed.DRIFT, id, BlockKey.read(drift.block()), drift.at(), List.of()));
                current = new OpenBlock(Observed.DRIFT, id);
            }
        }
        if (outcome.status() == DeploymentStatus.IN_SYNC && seen.at() != null) {
            if (current != null && current.observed() == Observed.MANAGED && current.contentId().equals(record.desiredHash())) {
                steps.add(new Seen(seen.at()));
            } else {
                if (current != null) {
                    steps.add(new Close(seen.at(), seen.wrote() ? IntervalEnd.DEPLOYED : IntervalEnd.CHANGED_ON_HOST));
                }
                // A record from before the access history has no keys yet: read them off its block.
                List<BlockKey> keys = record.desiredKeys().isEmpty() ? BlockKey.read(record.desiredContent()) : record.desiredKeys();
                steps.add(new Open(Observed.MANAGED, record.desiredHash(), keys, seen.at(), record.desiredChanges()));
            }
        }
        return steps;
    }
}

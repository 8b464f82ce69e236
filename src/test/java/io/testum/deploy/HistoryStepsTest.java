package io.testum.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.testum.inventory.InventoryChanged;
import io.testum.ssh.SshKeys;

/** What one attempt adds to a pair's access history, for each thing it can have seen on the host. */
class HistoryStepsTest {

    private static final String ALICE = SshKeys.generate("ed25519", 256, "alice@laptop").publicKey().line();
    private static final String CAROL = SshKeys.generate("ed25519", 256, "carol@home").publicKey().line();
    private static final String BLOCK = ManagedBlock.render(List.of(new ManagedBlock.Line("alice", null, ALICE)));
    private static final String HASH = ManagedBlock.hash(BLOCK);
    private static final String TAMPERED = BLOCK.replace(ALICE, CAROL);
    private static final String TAMPERED_HASH = ManagedBlock.hash(TAMPERED);
    private static final Instant READ = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant WRITTEN = Instant.parse("2026-03-01T10:00:01Z");
    private static final InventoryChanged.Cause PUSH = InventoryChanged.Cause.gitops("ops", "abc123");
    private static final List<BlockKey> KEYS = List.of(new BlockKey("alice", UnmanagedKeys.fingerprint(ALICE).orElseThrow()));
    private static final List<BlockKey> FOUND = List.of(new BlockKey(null, UnmanagedKeys.fingerprint(CAROL).orElseThrow()));

    private static final HistorySteps.OpenBlock MANAGED = new HistorySteps.OpenBlock(Observed.MANAGED, HASH);
    private static final HistorySteps.OpenBlock OLDER = new HistorySteps.OpenBlock(Observed.MANAGED, "older");
    private static final HistorySteps.OpenBlock DRIFTED = new HistorySteps.OpenBlock(Observed.DRIFT, TAMPERED_HASH);

    private static DeploymentRecord record(List<BlockKey> keys) {
        return new DeploymentRecord(1, "web-01", "deploy", "~/.ssh/authorized_keys", false,
                DeploymentStatus.PENDING, List.of("alice"), BLOCK, HASH, null, null, null, null, null, null, keys, List.of(PUSH));
    }

    private static DeploymentRepository.Outcome outcome(DeploymentStatus status, DeploymentRepository.Observation seen) {
        return new DeploymentRepository.Outcome(new DesiredState.Pair(1, "deploy"), status, null, null, null, null, seen);
    }

    private static DeploymentRepository.Observation inSync(boolean wrote) {
        return new DeploymentRepository.Observation(wrote ? WRITTEN : READ, wrote, null);
    }

    private static DeploymentRepository.Observation drift(Instant at, boolean wrote) {
        return new DeploymentRepository.Observation(at, wrote, new DeploymentRepository.Drift(READ, TAMPERED));
    }

    private static HistorySteps.Step opensManaged(Instant at) {
        return new HistorySteps.Open(Observed.MANAGED, HASH, KEYS, at, List.of(PUSH));
    }

    private static final HistorySteps.Step OPENS_DRIFT = new HistorySteps.Open(Observed.DRIFT, TAMPERED_HASH, FOUND, READ, List.of());

    static Stream<Arguments> attempts() {
        return Stream.of(
                Arguments.of("a failed or unreachable attempt saw nothing and adds nothing", MANAGED,
                        outcome(DeploymentStatus.UNREACHABLE, null), List.of()),
                Arguments.of("the first deployment starts the block's interval with the changes behind it", null,
                        outcome(DeploymentStatus.IN_SYNC, inSync(true)), List.of(opensManaged(WRITTEN))),
                Arguments.of("a check that finds the block in force only sees it again", MANAGED,
                        outcome(DeploymentStatus.IN_SYNC, inSync(false)), List.of(new HistorySteps.Seen(READ))),
                Arguments.of("a new block that testum wrote ends the one before as deployed", OLDER,
                        outcome(DeploymentStatus.IN_SYNC, inSync(true)),
                        List.of(new HistorySteps.Close(WRITTEN, IntervalEnd.DEPLOYED), opensManaged(WRITTEN))),
                Arguments.of("drift under report ends the block and starts a drift interval with the keys found", MANAGED,
                        outcome(DeploymentStatus.DRIFTED, drift(null, false)),
                        List.of(new HistorySteps.Close(READ, IntervalEnd.CHANGED_ON_HOST), OPENS_DRIFT)),
                Arguments.of("the same drift found again is only seen again", DRIFTED,
                        outcome(DeploymentStatus.DRIFTED, drift(null, false)), List.of(new HistorySteps.Seen(READ))),
                Arguments.of("repaired drift is a drift interval from the read to the repair", MANAGED,
                        outcome(DeploymentStatus.IN_SYNC, drift(WRITTEN, true)),
                        List.of(new HistorySteps.Close(READ, IntervalEnd.CHANGED_ON_HOST), OPENS_DRIFT,
                                new HistorySteps.Close(WRITTEN, IntervalEnd.DEPLOYED), opensManaged(WRITTEN))),
                Arguments.of("a repair that failed leaves the drift in force", MANAGED,
                        outcome(DeploymentStatus.FAILED, drift(null, false)),
                        List.of(new HistorySteps.Close(READ, IntervalEnd.CHANGED_ON_HOST), OPENS_DRIFT)),
                Arguments.of("a drifted block put back by someone else ends the drift as changed on the host", DRIFTED,
                        outcome(DeploymentStatus.IN_SYNC, inSync(false)),
                        List.of(new HistorySteps.Close(READ, IntervalEnd.CHANGED_ON_HOST), opensManaged(READ))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attempts")
    void eachAttemptAddsWhatItSaw(String behaviour, HistorySteps.OpenBlock open, DeploymentRepository.Outcome outcome,
            List<HistorySteps.Step> expected) {
        assertThat(HistorySteps.of(open, outcome, record(KEYS))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attempts")
    void aRecordFromBeforeTheHistoryReadsItsKeysOffItsBlock(String behaviour, HistorySteps.OpenBlock open,
            DeploymentRepository.Outcome outcome, List<HistorySteps.Step> expected) {
        List<HistorySteps.Step> steps = HistorySteps.of(open, outcome, record(List.of()));
        assertThat(steps).hasSameSizeAs(expected);
        steps.stream().filter(s -> s instanceof HistorySteps.Open o && o.observed() == Observed.MANAGED)
                .forEach(s -> assertThat(((HistorySteps.Open) s).keys()).extracting(BlockKey::fingerprint)
                        .containsExactlyElementsOf(KEYS.stream().map(BlockKey::fingerprint).toList()));
    }
}

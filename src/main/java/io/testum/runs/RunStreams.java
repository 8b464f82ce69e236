package io.testum.runs;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * A run's events for one viewer: first what already happened, then what happens, until
 * {@code run_done}. Pulled from PostgreSQL page by page as the viewer consumes them, so a slow
 * viewer holds at most one page and catches up from the table; the run never waits for it.
 */
@ApplicationScoped
public class RunStreams {

    private static final int PAGE = 500;
    /** How long a viewer waits for a notification before looking again on its own. */
    private static final Duration RECHECK = Duration.ofSeconds(2);
    /** Ends the stream; compared by identity, so it must not be the shared empty list. */
    private static final List<RunEvent> END = java.util.Collections.unmodifiableList(new java.util.ArrayList<>());

    private final RunRepository repository;
    private final RunSignals signals;

    public RunStreams(RunRepository repository, RunSignals signals) {
        this.repository = repository;
        this.signals = signals;
    }

    /** The events of run {@code id} after {@code afterSeq} (0: from the start), ending with {@code run_done}. */
    public Multi<RunEvent> events(UUID id, long afterSeq) {
        AtomicLong seen = new AtomicLong(afterSeq);
        AtomicBoolean done = new AtomicBoolean();
        return Multi.createBy().repeating().uni(() -> next(id, seen, done))
                .until(page -> page == END)
                .onItem().disjoint();
    }

    private Uni<List<RunEvent>> next(UUID id, AtomicLong seen, AtomicBoolean done) {
        if (done.get()) {
            return Uni.createFrom().item(END);
        }
        RunSignals.Wait wait = signals.arm(id);
        return repository.events(id, seen.get(), PAGE).chain(page -> {
            if (!page.isEmpty()) {
                wait.cancel();
                seen.set(page.get(page.size() - 1).seq());
                return Uni.createFrom().item(page);
            }
            return wait.await(RECHECK).chain(news -> news ? Uni.createFrom().item(List.<RunEvent>of()) : endedSilently(id, seen));
        }).invoke(page -> {
            if (page.stream().anyMatch(RunEvent::ends)) {
                done.set(true);
            }
        });
    }

    /** A run that ended without a {@code run_done} event (it cannot, but a viewer must not hang on it). */
    private Uni<List<RunEvent>> endedSilently(UUID id, AtomicLong seen) {
        return repository.status(id).chain(status -> {
            if (status == null) {
                return Uni.createFrom().item(List.of(RunEvent.runDone(RunStatus.FAILED).withSeq(seen.get() + 1)));
            }
            if (!status.finished()) {
                return Uni.createFrom().item(List.<RunEvent>of());
            }
            return repository.events(id, seen.get(), 1).map(more -> more.isEmpty()
                    ? List.of(RunEvent.runDone(status).withSeq(seen.get() + 1))
                    : List.<RunEvent>of());
        });
    }
}

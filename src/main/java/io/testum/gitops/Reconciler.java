package io.testum.gitops;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.testum.alerts.AlertEvent;
import io.testum.alerts.Occurrence;
import io.testum.common.FieldError;
import io.testum.common.NotFoundException;
import io.testum.common.ProblemException;
import io.testum.common.Redacted;
import io.testum.db.DatabaseConfig;
import io.vertx.pgclient.PgException;

/**
 * Reconciles one source, in the manner of Flux's controllers: a list of named steps ({@link FetchStep},
 * {@link ParseStep}, {@link PlanStep}, {@link ApplyStep}, {@link DeployStep}), stopping at the first
 * step that says stop, then writing the status computed from how the run ended ({@link Outcome}):
 * <ul>
 * <li>an unchanged revision with nothing pending returns at once: no SSH, no writes;</li>
 * <li>an invalid document stalls: nothing changes, and the same revision is not tried again;</li>
 * <li>a failed fetch waits: retried with exponential backoff, capped at the interval;</li>
 * <li>a valid document is planned and applied in one transaction, then only the changed blocks are deployed;</li>
 * <li>anything else fails: recorded in the status, and retried with the same backoff.</li>
 * </ul>
 * One run per source at a time across every replica ({@link SourceLocks}). Blocking: runs on worker threads.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);

    private final SourceRepository sources;
    private final SourceLocks sourceLocks;
    private final SourceFetch fetch;
    private final List<ReconcileStep> steps;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    private final MeterRegistry meters;
    private final Duration databaseWait;
    private final Event<Occurrence> alerts;

    public Reconciler(SourceRepository sources, SourceLocks sourceLocks, SourceFetch fetch, FetchStep fetchStep,
            ParseStep parseStep, PlanStep planStep, ApplyStep applyStep, DeployStep deployStep, MeterRegistry meters,
            DatabaseConfig database, Event<Occurrence> alerts) {
        this.alerts = alerts;
        this.sources = sources;
        this.sourceLocks = sourceLocks;
        this.fetch = fetch;
        this.steps = List.of(fetchStep, parseStep, planStep, applyStep, deployStep);
        this.meters = meters;
        this.databaseWait = database.waitTimeout();
    }

    /**
     * @param wait  whether to wait for a run of the same source that is under way (manual syncs do)
     * @param force whether to apply even an unchanged revision (manual syncs do)
     */
    public RunResult reconcile(String name, String trigger, boolean wait, boolean force) {
        ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock());
        if (!tryLock(lock, wait ? databaseWait : Duration.ZERO)) {
            return skipped(name, trigger);
        }
        long t0 = System.nanoTime();
        RunResult result = null;
        try {
            Optional<SourceLocks.Held> held = sourceLocks.acquire(name, wait ? databaseWait : Duration.ZERO);
            if (held.isEmpty()) {
                result = skipped(name, trigger);
                return result;
            }
            try (SourceLocks.Held h = held.get()) {
                result = runOrRecordFailure(name, trigger, force);
            }
            return result;
        } finally {
            lock.unlock();
            String label = result == null ? "error" : result.result().label();
            Timer.builder("testum.reconcile.duration").description("Time a reconcile of a GitOps source took")
                    .tag("source", name).register(meters).record(Duration.ofNanos(System.nanoTime() - t0));
            Counter.builder("testum.reconcile").description("Reconciles of GitOps sources, by result")
                    .tag("result", label).register(meters).increment();
        }
    }

    static boolean tryLock(ReentrantLock lock, Duration wait) {
        try {
            return wait.isZero() ? lock.tryLock() : lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static RunResult skipped(String name, String trigger) {
        return new RunResult(name, trigger, null, RunResult.Result.SKIPPED, ReconcileReason.IN_PROGRESS,
                "another run of the source is under way (on this replica or another)", null, List.of(), 0, Instant.now());
    }

    /** Runs the steps; a failure no step expected is recorded in the status and retried with backoff. */
    private RunResult runOrRecordFailure(String name, String trigger, boolean force) {
        GitSource source = require(name);
        ReconcileRun run = new ReconcileRun(source, trigger, force);
        try {
            return finish(run, runSteps(steps, run));
        } catch (NotFoundException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.errorf(Redacted.copy(e, GitUrls::mask), "GitSource %s: %s", name, describe(e));
            // The source as stored now: the failure may have come after a step changed it.
            return finish(new ReconcileRun(require(name), trigger, force), new Outcome.Generic(describe(e)));
        }
    }

    private GitSource require(String name) {
        GitSource source = sources.find(name).await().atMost(databaseWait);
        if (source == null) {
            throw new NotFoundException("GitOps source", name);
        }
        return source;
    }

    /** Runs {@code steps} in order until one says stop; a run whose every step goes on is applied. */
    static Outcome runSteps(List<ReconcileStep> steps, ReconcileRun run) {
        for (ReconcileStep step : steps) {
            long t0 = System.nanoTime();
            Optional<Outcome> stop = step.run(run);
            run.took(step.name(), millis(t0));
            if (stop.isPresent()) {
                return stop.get();
            }
        }
        return new Outcome.Applied(run.plan());
    }

    /** What a status may say of an unexpected failure: testum's own problems in full, others by kind only. */
    static String describe(RuntimeException e) {
        if (e instanceof ProblemException problem) {
            return GitUrls.mask(problem.getMessage());
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg) {
                return "The reconcile failed: the database refused a statement (SQL state " + pg.getSqlState()
                        + "); the server log has the details";
            }
        }
        return "The reconcile failed unexpectedly (" + e.getClass().getSimpleName() + "); the server log has the details";
    }

    /** Fetches {@code ref} of the source for a diff (see {@link SourceFetch#preview}). */
    GitFetcher.Fetched preview(GitSource source, String ref) {
        return fetch.preview(source, ref);
    }

    /**
     * Ends the run: the status is computed once from its outcome and written (only where it differs
     * from the stored one), and the run recorded; a run with nothing to do only moves the next attempt.
     */
    private RunResult finish(ReconcileRun run, Outcome outcome) {
        GitSource source = run.source();
        String name = source.name();
        return switch (outcome) {
            case Outcome.NothingToDo n -> {
                sources.scheduleNext(name, source.interval()).await().atMost(databaseWait);
                yield result(run, n.result(), n.reason(), n.message(), null, List.of());
            }
            case Outcome.Stalled stalled -> {
                FieldError first = stalled.errors().get(0);
                String where = first.file() == null ? "" : first.file() + ":" + first.line() + ":" + first.column() + ": ";
                String message = stalled.errors().size() + " problem" + (stalled.errors().size() == 1 ? "" : "s")
                        + " in revision " + shortRevision(run.revision()) + "; first: " + where + first.message();
                LOG.warnf("GitSource %s stalls: %s", name, message);
                yield record(result(run, RunResult.Result.STALLED, ReconcileReason.VALIDATION_FAILED, message, stalled.plan(),
                        stalled.errors()), 0, source.interval());
            }
            case Outcome.Waiting waiting -> {
                int failures = source.failures() + 1;
                Duration retry = backoff(failures, source.interval());
                LOG.warnf("GitSource %s: %s; next attempt in %ss", name, waiting.message(), retry.toSeconds());
                yield record(result(run, RunResult.Result.WAITING, ReconcileReason.FETCH_FAILED, waiting.message(), null,
                        List.of()), failures, retry);
            }
            case Outcome.Generic generic -> {
                int failures = source.failures() + 1;
                Duration retry = backoff(failures, source.interval());
                String message = generic.message() + "; next attempt in " + retry.toSeconds() + "s";
                yield record(new RunResult(name, run.trigger(), null, RunResult.Result.FAILED,
                        ReconcileReason.RECONCILE_FAILED, message, null, List.of(), run.elapsedMillis(), run.startedAt()),
                        failures, retry);
            }
            case Outcome.Applied applied -> {
                RunResult result = record(result(run, RunResult.Result.APPLIED, ReconcileReason.SUCCEEDED,
                        "applied revision " + shortRevision(run.revision()), applied.plan(), List.of()), 0, source.interval());
                LOG.infof("GitSource %s: applied %s (%s); %s", name, shortRevision(run.revision()), applied.plan().summary(),
                        run.timings());
                yield result;
            }
        };
    }

    private static RunResult result(ReconcileRun run, RunResult.Result result, ReconcileReason reason, String message,
            Plan plan, List<FieldError> errors) {
        return new RunResult(run.name(), run.trigger(), run.revision(), result, reason, message, plan, errors,
                run.elapsedMillis(), run.startedAt());
    }

    /** Writes the status computed from the run (where it differs from the stored one), and the run. */
    private RunResult record(RunResult run, int failures, Duration next) {
        sources.saveStatus(run.source(), status(run, failures, next)).await().atMost(databaseWait);
        sources.recordRun(run).await().atMost(databaseWait);
        alerts.fire(occurrence(run));
        return run;
    }

    /** What an ended run tells the alerts: the source applied (is fine), or it stalls; they alert a change once. */
    static Occurrence occurrence(RunResult run) {
        boolean applied = run.result() == RunResult.Result.APPLIED;
        return Occurrence.of(applied ? AlertEvent.SOURCE_RECOVERED : AlertEvent.SOURCE_STALLED, "source:" + run.source(),
                List.of(), "GitOps source '" + run.source() + "': " + run.message(),
                Map.of("source", run.source(), "reason", String.valueOf(ReconcileReason.wireOf(run.reason())),
                        "revision", run.revision() == null ? "" : run.revision()));
    }

    /** The source's status after {@code run}: ready only when it applied; a run without a plan keeps the stored one. */
    static SourceRepository.Status status(RunResult run, int failures, Duration next) {
        boolean applied = run.result() == RunResult.Result.APPLIED;
        return new SourceRepository.Status(applied, run.reason(), run.message(), run.revision(),
                applied ? run.revision() : null, run.errorMaps(), run.plan() == null ? null : run.plan().toMap(), applied,
                failures, next);
    }

    /** 5 s, 10 s, 20 s, ... capped at the interval. */
    static Duration backoff(int failures, Duration interval) {
        long seconds = FIRST_RETRY.toSeconds() << Math.min(20, Math.max(0, failures - 1));
        return Duration.ofSeconds(Math.min(seconds, interval.toSeconds()));
    }

    static String shortRevision(String revision) {
        return revision == null ? "(none)" : revision.substring(0, Math.min(12, revision.length()));
    }

    private static long millis(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}

package io.testum.gitops;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one reconcile of a source has found so far, typed: each step reads what the steps before it
 * recorded and records its own result.
 */
final class ReconcileRun {

    private final GitSource source;
    private final String trigger;
    private final boolean force;
    private final Instant startedAt = Instant.now();
    private final long startedNanos = System.nanoTime();
    private final Map<String, Long> stepMillis = new LinkedHashMap<>();
    private GitFetcher.Fetched fetched;
    private DesiredDocument document;
    private Planner.Result planned;

    /**
     * @param force whether to apply even an unchanged revision (manual syncs do)
     */
    ReconcileRun(GitSource source, String trigger, boolean force) {
        this.source = Objects.requireNonNull(source);
        this.trigger = trigger;
        this.force = force;
    }

    GitSource source() {
        return source;
    }

    String name() {
        return source.name();
    }

    String trigger() {
        return trigger;
    }

    boolean force() {
        return force;
    }

    Instant startedAt() {
        return startedAt;
    }

    long elapsedMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** The fetched revision, or null before the fetch (or when it failed). */
    String revision() {
        return fetched == null ? null : fetched.revision();
    }

    GitFetcher.Fetched fetched() {
        return required(fetched, "fetched");
    }

    void fetched(GitFetcher.Fetched fetched) {
        this.fetched = fetched;
    }

    DesiredDocument document() {
        return required(document, "parsed");
    }

    void document(DesiredDocument document) {
        this.document = document;
    }

    Planner.Result planned() {
        return required(planned, "planned");
    }

    void planned(Planner.Result planned) {
        this.planned = planned;
    }

    /** The plan, once planned; else null. */
    Plan plan() {
        return planned == null ? null : planned.plan();
    }

    void took(String step, long millis) {
        stepMillis.put(step, millis);
    }

    /** {@code fetch 12 ms, parse 3 ms, ...}, for a log line. */
    String timings() {
        StringBuilder line = new StringBuilder();
        stepMillis.forEach((step, ms) -> line.append(line.isEmpty() ? "" : ", ").append(step).append(' ').append(ms)
                .append(" ms"));
        return line.toString();
    }

    private <T> T required(T value, String what) {
        if (value == null) {
            throw new IllegalStateException("source '" + source.name() + "' is not " + what + " yet");
        }
        return value;
    }
}

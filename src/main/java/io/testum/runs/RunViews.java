package io.testum.runs;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the runs API answers. */
public final class RunViews {

    private RunViews() {
    }

    /** Filters of {@code GET /api/runs}; {@code null} matches everything. */
    public record Filter(String status, String requestedBy, String platform) {
    }

    /** {@code POST /api/runs}: the run as stored, and the platforms it resolved to. */
    public record Submitted(UUID id, String status, List<String> targets) {
    }

    /** {@code POST /api/platforms/{name}/run_command}, as the earlier testum answered it. */
    public record Task(UUID taskId) {
    }

    /**
     * A row of {@code GET /api/runs}: the run and how many hosts are in each status. A script run
     * has no {@code command} but its {@code interpreter}.
     */
    public record Summary(UUID id, String command, String interpreter, String status, String requestedBy, Instant createdAt, Instant startedAt,
            Instant finishedAt, int timeoutSeconds, int concurrency, Integer maxFailures, String reason,
            Map<String, Long> hosts) {
    }

    /**
     * A run with some or all of its hosts' results. A script run carries its {@code script},
     * {@code interpreter}, {@code args} and the names of its {@code env} (the values are never shown).
     */
    public record Detail(UUID id, String command, String script, String interpreter, List<String> args, List<String> env,
            String status, String requestedBy, Instant createdAt, Instant startedAt,
            Instant finishedAt, int timeoutSeconds, int concurrency, Integer maxFailures, String reason, List<String> targets,
            List<HostResult> results) {

        public Detail withResults(List<HostResult> page) {
            return new Detail(id, command, script, interpreter, args, env, status, requestedBy, createdAt, startedAt, finishedAt, timeoutSeconds, concurrency,
                    maxFailures, reason, targets, page);
        }
    }

    /**
     * {@code GET /api/runs/{id}} before its {@code results}: the run, and which page of its hosts'
     * results follows ({@code results_total} hosts, {@code results_size} per page).
     */
    public record DetailHead(UUID id, String command, String script, String interpreter, List<String> args,
            List<String> env, String status, String requestedBy, Instant createdAt,
            Instant startedAt, Instant finishedAt, int timeoutSeconds, int concurrency, Integer maxFailures, String reason,
            List<String> targets, int resultsTotal, int resultsPage, int resultsSize) {

        static DetailHead of(Detail d, int page, int size) {
            return new DetailHead(d.id(), d.command(), d.script(), d.interpreter(), d.args(), d.env(), d.status(), d.requestedBy(), d.createdAt(), d.startedAt(),
                    d.finishedAt(), d.timeoutSeconds(), d.concurrency(), d.maxFailures(), d.reason(), d.targets(),
                    d.targets().size(), page, size);
        }
    }

    /** One host of a run. {@code truncated}: stdout or stderr went over the cap. */
    public record HostResult(String platform, String status, Integer exitCode, Instant startedAt, Instant finishedAt,
            String stdout, String stderr, boolean truncated, String error) {
    }

    /** Hosts whose (exit code, stdout, stderr) are identical. */
    public record Group(Integer exitCode, String stdout, String stderr, List<String> platforms) {
    }
}

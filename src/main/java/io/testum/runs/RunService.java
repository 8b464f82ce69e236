package io.testum.runs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.testum.common.ConflictException;
import io.testum.common.NotFoundException;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Violations;
import io.testum.inventory.Labels;

/**
 * Submits runs (targets resolved and stored first, then executed by a worker), cancels them, and answers what
 * other features read of runs (lists, results, counts, retention); the runs tables are this package's alone.
 */
@ApplicationScoped
public class RunService {

    public static final int DEFAULT_TIMEOUT_SECONDS = 60;
    public static final int DEFAULT_CONCURRENCY = 50;
    public static final int MAX_COMMAND_BYTES = 64 * 1024;

    private final RunRepository repository;
    private final RunWorker worker;
    private final RunsConfig config;

    public RunService(RunRepository repository, RunWorker worker, RunsConfig config) {
        this.repository = repository;
        this.worker = worker;
        this.config = config;
    }

    public Uni<RunViews.Submitted> submit(RunRequest request, String requestedBy) {
        RunRequest body = Violations.body(request);
        return repository.targets().chain(all -> submit(body, all, requestedBy, null));
    }

    /** Who a schedule's runs are requested by: {@code schedule:<name>} (no user name holds a colon). */
    public static String scheduleRequester(String schedule) {
        return "schedule:" + schedule;
    }

    /**
     * Submits the run of one firing of a schedule, due at {@code dueAt}; answers {@code null} when
     * that firing already has its run (another replica, or this one before a restart, fired it).
     */
    public Uni<RunViews.Submitted> submitScheduled(RunRequest request, String schedule, Instant dueAt) {
        return repository.targets().chain(all -> submit(request, all, scheduleRequester(schedule), dueAt))
                .onFailure(RunService::duplicateFiring).recoverWithNull();
    }

    private static boolean duplicateFiring(Throwable e) {
        return e instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())
                && String.valueOf(pg.getConstraint()).equals("runs_one_per_firing");
    }

    /** Checks {@code body}, resolves its targets among {@code all}, stores the run and wakes the worker. */
    private Uni<RunViews.Submitted> submit(RunRequest body, List<RunRepository.Target> all, String requestedBy,
            Instant scheduledFor) {
        Violations v = new Violations();
        check(body, v);
        v.throwIfAny();
        RunScript script = body.runScript();
        int timeout = body.timeoutSeconds() == null ? DEFAULT_TIMEOUT_SECONDS : body.timeoutSeconds();
        int concurrency = body.concurrency() == null ? DEFAULT_CONCURRENCY : body.concurrency();
        List<String> resolved = resolve(body.targets(), all);
        if (resolved.size() > config.maxTargets()) {
            throw new io.testum.common.ValidationException("targets", "resolve to " + resolved.size() + " platforms; a run may "
                    + "target at most " + config.maxTargets() + " (testum.runs.max-targets): narrow the selector, or split the run");
        }
        UUID id = UUID.randomUUID();
        return repository.insert(id, script == null ? body.command() : null, script, requestedBy, timeout, concurrency,
                body.maxFailures(), resolved, scheduledFor)
                .invoke(worker::wake)
                .replaceWith(new RunViews.Submitted(id, RunStatus.QUEUED.label(), resolved));
    }

    /** Checks a run request as {@code POST /api/runs} would, without resolving its targets (a schedule's are resolved when it fires). */
    public void check(RunRequest body, Violations v) {
        RunScript script = body.runScript();
        if (script == null) {
            checkCommand(body.command(), v);
        } else {
            v.check(body.command() == null, "command", "give a command or a script, not both");
            RunScript.check(script, config.maxScriptBytes(), v);
        }
        long maxTimeout = config.maxTimeout().toSeconds();
        int timeout = body.timeoutSeconds() == null ? DEFAULT_TIMEOUT_SECONDS : body.timeoutSeconds();
        v.check(timeout >= 1 && timeout <= maxTimeout, "timeout_seconds", "must be between 1 and " + maxTimeout
                + " (testum.runs.max-timeout)");
        int concurrency = body.concurrency() == null ? DEFAULT_CONCURRENCY : body.concurrency();
        v.check(concurrency >= 1, "concurrency", "must be 1 or more");
        v.check(body.maxFailures() == null || body.maxFailures() >= 1, "max_failures", "must be 1 or more, or absent");
        RunRequest.Targets targets = body.targets();
        boolean named = targets != null && targets.platforms() != null && !targets.platforms().isEmpty();
        boolean selected = targets != null && targets.selector() != null && !targets.selector().isEmpty();
        v.check(named || selected, "targets", "name platforms, a selector, or both");
    }

    /** The one-host shorthand of the earlier testum; an unknown platform is a 404 there. */
    public Uni<RunViews.Task> runCommand(String platform, RunRequest.Command command, String requestedBy) {
        RunRequest.Command body = Violations.body(command);
        return repository.targets().chain(all -> {
            if (all.stream().noneMatch(t -> t.name().equals(platform))) {
                return Uni.createFrom().failure(new NotFoundException("platform", platform));
            }
            return submit(new RunRequest(body.command(), new RunRequest.Targets(List.of(platform), null), body.timeout(),
                    1, null), all, requestedBy, null).map(s -> new RunViews.Task(s.id()));
        });
    }

    private static void checkCommand(String command, Violations v) {
        if (command == null || command.isBlank()) {
            v.add("command", "is required");
        } else if (command.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_COMMAND_BYTES) {
            v.add("command", "is longer than " + MAX_COMMAND_BYTES + " bytes");
        } else if (command.indexOf('\0') >= 0) {
            v.add("command", "must not contain NUL characters");
        }
    }

    /** Named platforms in the given order, then the selector's matches by name; each once. */
    static List<String> resolve(RunRequest.Targets targets, List<RunRepository.Target> all) {
        Violations v = new Violations();
        Set<String> known = new java.util.HashSet<>();
        all.forEach(t -> known.add(t.name()));
        Set<String> resolved = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        if (targets.platforms() != null) {
            for (String name : targets.platforms()) {
                if (name == null || !known.contains(name)) {
                    unknown.add(String.valueOf(name));
                } else {
                    resolved.add(name);
                }
            }
        }
        if (!unknown.isEmpty()) {
            v.add("targets.platforms", "unknown platform" + (unknown.size() == 1 ? " " : "s ") + String.join(", ", unknown));
        }
        Map<String, String> selector = targets.selector();
        if (selector != null && !selector.isEmpty()) {
            all.stream().filter(t -> Labels.matches(selector, t.labels())).forEach(t -> resolved.add(t.name()));
        }
        if (unknown.isEmpty() && resolved.isEmpty()) {
            v.add("targets", "match no platform: the target set is empty");
        }
        v.throwIfAny();
        return List.copyOf(resolved);
    }

    /** Cancels a run: a queued one at once, a running one through its executor; answers it as the list shows it. */
    public Uni<RunViews.Summary> cancel(UUID id) {
        return repository.cancel(id).chain(canceled -> {
            if (canceled == null) {
                return Uni.createFrom().failure(new NotFoundException("run", id.toString()));
            }
            if (canceled.before().finished()) {
                return Uni.createFrom().failure(new ConflictException("run " + id + " already finished: "
                        + canceled.before().label()));
            }
            worker.cancelLocal(id);
            return repository.summary(id);
        });
    }

    /** A page of runs, newest first, as {@code GET /api/runs} lists them. */
    public Uni<Page<RunViews.Summary>> list(RunViews.Filter filter, PageRequest page) {
        return repository.list(filter, page);
    }

    /** A run with the results of its hosts {@code from} to {@code to}, each output cut at {@code maxBytes}; {@code null} if unknown. */
    public Uni<RunViews.Detail> get(UUID id, int from, int to, int maxBytes) {
        return repository.get(id, from, to, maxBytes);
    }

    /** The hosts of a run grouped by identical outcome, largest group first. */
    public Multi<RunViews.Group> groups(UUID id, int maxBytes) {
        return repository.groups(id, maxBytes);
    }

    /** {@code status} → runs created in the last 24 hours in it; statuses without any are absent. */
    public Uni<Map<String, Long>> countByStatusLastDay() {
        return repository.countByStatusLastDay();
    }

    /** Retention: removes up to a batch of runs that finished before {@code before}; answers how many (0 when done). */
    public Uni<Integer> deleteFinishedBefore(Instant before) {
        return repository.deleteFinishedBefore(before);
    }
}

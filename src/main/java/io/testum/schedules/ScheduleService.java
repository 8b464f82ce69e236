package io.testum.schedules;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.common.ConflictException;
import io.testum.common.Names;
import io.testum.common.NotFoundException;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Source;
import io.testum.common.Violations;
import io.testum.runs.RunRequest;
import io.testum.runs.RunService;
import io.testum.runs.RunScript;
import io.testum.runs.RunViews;
import io.testum.runs.SealedEnv;
import io.testum.secrets.SecretCipher;

/** Schedules through the API: checked like a run plus its cron, stored with the next due time. */
@ApplicationScoped
public class ScheduleService {

    private final ScheduleRepository schedules;
    private final RunService runs;
    private final SecretCipher cipher;
    private final ScheduleChecks checks;

    ScheduleService(ScheduleRepository schedules, RunService runs, SecretCipher cipher, ScheduleChecks checks) {
        this.schedules = schedules;
        this.runs = runs;
        this.cipher = cipher;
        this.checks = checks;
    }

    /** What a schedule's sealed environment is bound to. */
    static String envPurpose(String name) {
        return "schedule-env:" + name;
    }

    public Uni<List<ScheduleView>> list() {
        return schedules.all().map(all -> all.stream().map(ScheduleRepository.Stored::view).toList());
    }

    public Uni<ScheduleView> get(String name) {
        return require(name).map(ScheduleRepository.Stored::view);
    }

    public Uni<ScheduleView> create(ScheduleRequest request) {
        Violations v = new Violations();
        Names.checkObjectName(request.name(), "name", v);
        ScheduleView view = checked(request.name(), request, v, Instant.now());
        byte[] sealed = seal(request.name(), request.env());
        return schedules.save(view, sealed, false).map(created -> {
            if (!created) {
                throw new ConflictException("schedule '" + request.name() + "' already exists");
            }
            return view;
        });
    }

    public Uni<ScheduleView> update(String name, ScheduleRequest request) {
        return require(name).chain(existing -> {
            Source.requireApiManaged("schedule", name, existing.view().source(), existing.revision());
            Violations v = new Violations();
            v.check(request.name() == null || request.name().equals(name), "name", "cannot be changed (it is '" + name + "')");
            ScheduleView view = checked(name, request, v, Instant.now());
            byte[] sealed = request.env() == null ? existing.envSealed() : seal(name, request.env());
            ScheduleView stored = request.env() == null ? withEnv(view, existing.view().env()) : view;
            return schedules.save(stored, sealed, true).map(x -> stored);
        });
    }

    public Uni<Void> delete(String name) {
        return require(name).chain(existing -> {
            Source.requireApiManaged("schedule", name, existing.view().source(), existing.revision());
            return schedules.delete(name).replaceWithVoid();
        });
    }

    /** The runs a schedule started, newest first. */
    public Uni<Page<RunViews.Summary>> runs(String name, PageRequest page) {
        return require(name).chain(s -> runs.list(new RunViews.Filter(null, RunService.scheduleRequester(name), null), page));
    }

    private Uni<ScheduleRepository.Stored> require(String name) {
        return schedules.find(name).map(NotFoundException.ifMissing("schedule", name));
    }

    /** The request checked (400 naming every bad field) and made a view whose next due time follows {@code now}. */
    private ScheduleView checked(String name, ScheduleRequest r, Violations v, Instant now) {
        checks.check(r, v);
        v.throwIfAny();
        return view(name, r, now, Source.API);
    }

    /**
     * The schedule {@code r} (already checked) as stored for {@code source}, due next after {@code now}
     * (no due time when {@code now} is null); its environment's names only.
     */
    static ScheduleView view(String name, ScheduleRequest r, Instant now, String source) {
        Instant next = now == null ? null : Cron.parse(r.cron(), ScheduleChecks.zone(r)).next(now).orElse(null);
        boolean script = r.script() != null || r.interpreter() != null || r.args() != null;
        Misfire misfire = r.misfire() == null ? Misfire.SKIP : Misfire.of(r.misfire());
        return new ScheduleView(name, r.cron().strip(), ScheduleChecks.timezone(r), script ? null : r.command(), r.script(),
                script ? (r.interpreter() == null || r.interpreter().isBlank() ? RunScript.DEFAULT_INTERPRETER : r.interpreter()) : null,
                script ? (r.args() == null ? List.of() : List.copyOf(r.args())) : null,
                r.env() == null ? List.of() : List.copyOf(r.env().keySet()), r.targets(), r.timeoutSeconds(), r.concurrency(),
                r.maxFailures(), misfire.wire(), r.enabled() == null || r.enabled(), next, null, null, source);
    }

    private static ScheduleView withEnv(ScheduleView v, List<String> env) {
        return new ScheduleView(v.name(), v.cron(), v.timezone(), v.command(), v.script(), v.interpreter(), v.args(), env,
                v.targets(), v.timeoutSeconds(), v.concurrency(), v.maxFailures(), v.misfire(), v.enabled(), v.nextFireAt(),
                v.lastFiredAt(), v.lastError(), v.source());
    }

    private byte[] seal(String name, Map<String, String> env) {
        return SealedEnv.seal(cipher, env, envPurpose(name));
    }

    /** The run request of a schedule (what {@code POST /api/runs} would take) with its environment. */
    static RunRequest run(ScheduleRequest r, Map<String, String> env) {
        return new RunRequest(r.command(), r.script(), r.interpreter(), r.args(), env, r.targets(), r.timeoutSeconds(),
                r.concurrency(), r.maxFailures());
    }
}

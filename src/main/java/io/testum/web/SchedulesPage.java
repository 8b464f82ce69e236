package io.testum.web;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.testum.common.PageRequest;
import io.testum.common.Source;
import io.testum.runs.RunRequest;
import io.testum.runs.RunViews;
import io.testum.schedules.ScheduleRequest;
import io.testum.schedules.ScheduleService;
import io.testum.schedules.ScheduleView;

/**
 * Scheduled runs: the list, a new schedule, and one schedule with its recent runs; operators edit
 * and delete the ones made through the API, Git-managed ones are shown read-only.
 */
@Path("/schedules")
@WebPage
@Produces(MediaType.TEXT_HTML)
public class SchedulesPage {

    /** How many of a schedule's runs its page lists, newest first. */
    static final int RUNS_SHOWN = 20;

    private final ScheduleService schedules;
    private final UiContext ui;

    public SchedulesPage(ScheduleService schedules, UiContext ui) {
        this.schedules = schedules;
        this.ui = ui;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance schedules(List<ScheduleView> schedules, ScheduleForm blank, String notice);

        static native TemplateInstance schedule(ScheduleDetail schedule);
    }

    /** One schedule, its form (when it may be edited) and its newest runs. */
    @TemplateData
    public record ScheduleDetail(ScheduleView schedule, ScheduleForm form, List<RunViews.Summary> runs, long totalRuns,
            String notice) {

        /** Made through the API: operators may edit and delete it. A Git-managed one changes in Git. */
        public boolean editable() {
            return Source.API.equals(schedule.source());
        }
    }

    /** What the create and edit forms show; the environment's values are never shown, only its names. */
    @TemplateData
    public record ScheduleForm(String name, String cron, String timezone, String command, String script, String interpreter,
            String args, List<String> envNames, String platforms, String selector, String timeoutSeconds, String concurrency,
            String maxFailures, String misfire, boolean enabled) {

        /** The stored variables' names, as the hint lists them. */
        public String envText() {
            return String.join(", ", envNames);
        }

        static ScheduleForm blank() {
            return new ScheduleForm("", "", "UTC", "", "", "", "", List.of(), "", "", "60", "50", "", "skip", true);
        }

        static ScheduleForm of(ScheduleView s) {
            RunRequest.Targets t = s.targets();
            return new ScheduleForm(s.name(), s.cron(), s.timezone(), text(s.command()), text(s.script()), text(s.interpreter()),
                    s.args() == null ? "" : String.join("\n", s.args()), s.env() == null ? List.of() : s.env(),
                    t == null || t.platforms() == null ? "" : String.join(", ", t.platforms()),
                    t == null ? "" : Forms.labels(t.selector()), number(s.timeoutSeconds()), number(s.concurrency()),
                    number(s.maxFailures()), s.misfire(), s.enabled());
        }

        private static String text(String s) {
            return s == null ? "" : s;
        }

        private static String number(Integer n) {
            return n == null ? "" : n.toString();
        }
    }

    @GET
    public Uni<TemplateInstance> list(@RestQuery String notice) {
        return schedules.list().map(all -> ui.page(Templates.schedules(all, ScheduleForm.blank(), ui.notice(notice))));
    }

    @GET
    @Path("{name}")
    public Uni<TemplateInstance> schedule(@RestPath String name, @RestQuery String notice) {
        return schedules.get(name).chain(view -> schedules.runs(name, new PageRequest(0, RUNS_SHOWN))
                .map(runs -> ui.page(Templates.schedule(new ScheduleDetail(view, ScheduleForm.of(view), runs.items(), runs.total(),
                        ui.notice(notice))))));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> create(@RestForm String name, @RestForm String cron, @RestForm String timezone, @RestForm String command,
            @RestForm String script, @RestForm String interpreter, @RestForm String args, @RestForm String env,
            @RestForm String platforms, @RestForm String selector, @RestForm("timeout_seconds") Integer timeoutSeconds,
            @RestForm Integer concurrency, @RestForm("max_failures") Integer maxFailures, @RestForm String misfire,
            @RestForm boolean enabled) {
        Map<String, String> values = Forms.assignments(env, "env");
        ScheduleRequest request = request(Forms.blankToNull(name), cron, timezone, command, script, interpreter, args,
                values.isEmpty() ? null : values, platforms, selector, timeoutSeconds, concurrency, maxFailures, misfire, enabled);
        return schedules.create(request).map(v -> Response.seeOther(URI.create("/schedules/" + v.name() + "?notice=created")).build());
    }

    /** Changes a schedule: an empty environment field keeps the stored values, {@code clear_env} removes them. */
    @POST
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> update(@RestPath String name, @RestForm String cron, @RestForm String timezone, @RestForm String command,
            @RestForm String script, @RestForm String interpreter, @RestForm String args, @RestForm String env,
            @RestForm("clear_env") boolean clearEnv, @RestForm String platforms, @RestForm String selector,
            @RestForm("timeout_seconds") Integer timeoutSeconds, @RestForm Integer concurrency,
            @RestForm("max_failures") Integer maxFailures, @RestForm String misfire, @RestForm boolean enabled) {
        Map<String, String> values = Forms.assignments(env, "env");
        ScheduleRequest request = request(null, cron, timezone, command, script, interpreter, args,
                clearEnv ? Map.of() : values.isEmpty() ? null : values, platforms, selector, timeoutSeconds, concurrency,
                maxFailures, misfire, enabled);
        return schedules.update(name, request).map(v -> Response.seeOther(URI.create("/schedules/" + name + "?notice=saved")).build());
    }

    @POST
    @Path("{name}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> delete(@RestPath String name) {
        return schedules.delete(name).map(x -> Response.seeOther(URI.create("/schedules?notice=deleted")).build());
    }

    /** A command schedule unless a script is given, as the runs form decides. */
    private static ScheduleRequest request(String name, String cron, String timezone, String command, String script,
            String interpreter, String args, Map<String, String> env, String platforms, String selector, Integer timeoutSeconds,
            Integer concurrency, Integer maxFailures, String misfire, boolean enabled) {
        List<String> names = Forms.list(platforms);
        Map<String, String> labels = Forms.labels(selector, "selector");
        RunRequest.Targets targets = new RunRequest.Targets(names.isEmpty() ? null : names, labels.isEmpty() ? null : labels);
        boolean isScript = script != null && !script.isBlank();
        return new ScheduleRequest(name, Forms.blankToNull(cron), Forms.blankToNull(timezone), isScript ? null : Forms.blankToNull(command),
                isScript ? script : null, isScript ? Forms.blankToNull(interpreter) : null, isScript ? Forms.lines(args) : null, env,
                targets, timeoutSeconds, concurrency, maxFailures, Forms.blankToNull(misfire), enabled);
    }
}

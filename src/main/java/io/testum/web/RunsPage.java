package io.testum.web;

import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
import io.testum.common.NotFoundException;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.ValidationException;
import io.testum.runs.RunRequest;
import io.testum.runs.RunService;
import io.testum.runs.RunStatus;
import io.testum.runs.RunViews;
import io.vertx.core.json.Json;

/** Ad-hoc runs: the list, a new run, and one run with every host's output, live while it runs. */
@Path("/runs")
@WebPage
@Produces(MediaType.TEXT_HTML)
public class RunsPage {

    static final int PAGE_SIZE = 50;
    static final int HOSTS_PER_PAGE = 50;
    static final int GROUPS_SHOWN = 20;
    /** Bytes of each output stream a page shows. */
    static final int PREVIEW_BYTES = 64 * 1024;

    private final RunService service;
    private final UiContext ui;

    public RunsPage(RunService service, UiContext ui) {
        this.service = service;
        this.ui = ui;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance runs(RunsView runs);

        static native TemplateInstance run(RunView run);
    }

    @TemplateData
    public record RunsView(Page<RunViews.Summary> page, String status, String platform, String requestedBy,
            List<String> statuses, String prev, String next) {
    }

    /**
     * One run, with one page of its hosts. {@code live}: still queued or running, so the page
     * follows it over the WebSocket; {@code labels}: the status words in the page's language, as
     * JSON for the script; {@code moreGroups}: groups not shown.
     */
    @TemplateData
    public record RunView(RunViews.Detail detail, List<RunViews.Group> groups, int moreGroups, boolean live, String labels,
            String prev, String next) {
    }

    @GET
    public Uni<TemplateInstance> list(@RestQuery String status, @RestQuery String platform,
            @RestQuery("requested_by") String requestedBy, @RestQuery Integer page) {
        String wanted = blankToNull(status);
        if (wanted != null && Arrays.stream(RunStatus.values()).noneMatch(s -> s.label().equals(wanted))) {
            throw new ValidationException("status", "must be one of queued, running, succeeded, failed, canceled, timed_out");
        }
        PageRequest request = PageRequest.of(page, PAGE_SIZE);
        return service.list(new RunViews.Filter(wanted, blankToNull(requestedBy), blankToNull(platform)), request)
                .map(result -> ui.page(Templates.runs(new RunsView(result, nullToEmpty(wanted), nullToEmpty(platform),
                        nullToEmpty(requestedBy), Arrays.stream(RunStatus.values()).map(RunStatus::label).toList(),
                        Paging.previous(result), Paging.next(result)))));
    }

    /**
     * One run: {@value #HOSTS_PER_PAGE} hosts a page and the first {@value #GROUPS_SHOWN} groups,
     * each output shown up to {@value #PREVIEW_BYTES} bytes (the API has it all), so a run of
     * thousands of hosts with a megabyte each renders in little memory.
     */
    @GET
    @Path("{id}")
    public Uni<TemplateInstance> run(@RestPath String id, @RestQuery Integer page) {
        UUID run = id(id);
        PageRequest request = PageRequest.of(page, HOSTS_PER_PAGE);
        return service.get(run, request.offset(), request.offset() + HOSTS_PER_PAGE, PREVIEW_BYTES)
                .map(NotFoundException.ifMissing("run", id))
                .chain(detail -> service.groups(run, PREVIEW_BYTES).select().first(GROUPS_SHOWN + 1).collect().asList()
                        .map(groups -> {
                            boolean live = !RunStatus.of(detail.status()).finished();
                            int total = detail.targets().size();
                            Page<RunViews.HostResult> hosts = new Page<>(detail.results(), total, request.page(), HOSTS_PER_PAGE);
                            List<RunViews.Group> shown = groups.subList(0, Math.min(GROUPS_SHOWN, groups.size()));
                            return ui.page(Templates.run(new RunView(detail, shown, groups.size() > GROUPS_SHOWN ? 1 : 0, live,
                                    labels(ui.msg()), Paging.previous(hosts), Paging.next(hosts))));
                        }));
    }

    /** Starts a run on the named platforms and/or the platforms whose labels match the selector. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> submit(@RestForm String command, @RestForm String script, @RestForm String interpreter,
            @RestForm String args, @RestForm String env, @RestForm String platforms, @RestForm String selector,
            @RestForm("timeout_seconds") Integer timeoutSeconds, @RestForm Integer concurrency,
            @RestForm("max_failures") Integer maxFailures) {
        List<String> names = Forms.list(platforms);
        Map<String, String> labels = Forms.labels(selector, "selector");
        RunRequest.Targets targets = new RunRequest.Targets(names.isEmpty() ? null : names, labels.isEmpty() ? null : labels);
        RunRequest request = script == null || script.isBlank()
                ? new RunRequest(blankToNull(command), targets, timeoutSeconds, concurrency, maxFailures)
                : new RunRequest(blankToNull(command), script, blankToNull(interpreter), Forms.lines(args), Forms.assignments(env, "env"),
                        targets, timeoutSeconds, concurrency, maxFailures);
        return service.submit(request, ui.username())
                .map(s -> Response.seeOther(URI.create("/runs/" + s.id())).build());
    }

    @POST
    @Path("{id}/cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> cancel(@RestPath String id) {
        return service.cancel(id(id)).map(d -> Response.seeOther(URI.create("/runs/" + d.id())).build());
    }

    /** Every run and host status in the page's language, as JSON for the live output script. */
    static String labels(Msg msg) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (RunStatus status : RunStatus.values()) {
            labels.put(status.label(), msg.run(status));
        }
        return Json.encode(labels);
    }

    static UUID id(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("run", id);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}

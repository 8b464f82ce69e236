package io.testum.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

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
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.testum.common.NotFoundException;
import io.testum.gitops.GitopsConfig;
import io.testum.gitops.Previews;
import io.testum.gitops.Reconciler;
import io.testum.gitops.RunResult;
import io.testum.gitops.SourceService;
import io.testum.stats.FleetStats;
import io.testum.stats.FleetStatsService;

/**
 * GitOps sources: readiness and revisions, a source's errors at file:line:column, its plan and
 * recent reconciles, the diff of a branch, sync now and suspend.
 */
@Path("/gitops")
@WebPage
@Produces(MediaType.TEXT_HTML)
public class GitopsPage {

    private final SourceService sources;
    private final Reconciler reconciler;
    private final Previews previews;
    private final FleetStatsService fleet;
    private final GitopsConfig config;
    private final UiContext ui;

    public GitopsPage(SourceService sources, Reconciler reconciler, Previews previews,
            FleetStatsService fleet, GitopsConfig config, UiContext ui) {
        this.sources = sources;
        this.reconciler = reconciler;
        this.previews = previews;
        this.fleet = fleet;
        this.config = config;
        this.ui = ui;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance sources(List<SourceRow> sources, SourceForm blank, String notice);

        static native TemplateInstance source(SourceDetail source);

        static native TemplateInstance diff(DiffView diff);
    }

    @TemplateData
    public record SourceRow(SourceService.View source, String lastFetchedRevision) {
    }

    @TemplateData
    public record SourceDetail(SourceService.View source, Status status, String notice, SourceForm form) {

        /** Made through the API (or the UI), so an admin may edit and delete it; the configured one only suspends. */
        public boolean editable() {
            return !"config".equals(source.origin());
        }
    }

    /**
     * What the create and edit forms of a source show. The token and the webhook secret are never
     * shown, only whether one is stored: an empty field keeps it, a checkbox clears it.
     */
    @TemplateData
    public record SourceForm(String name, String url, String branch, String path, String interval, boolean prune,
            String username, String credential, String hostKey, boolean hasToken, boolean hasWebhookSecret) {

        static SourceForm blank() {
            return new SourceForm("", "", "main", "", "60s", true, "", "", "", false, false);
        }

        static SourceForm of(SourceService.View s) {
            return new SourceForm(s.name(), s.url(), s.branch(), s.path() == null ? "" : s.path(), s.interval(), s.prune(),
                    s.username() == null ? "" : s.username(), s.credential() == null ? "" : s.credential(),
                    s.hostKey() == null ? "" : s.hostKey(), s.hasToken(), s.hasWebhookSecret());
        }
    }

    /** The stored status of a source, as the status endpoint answers it. */
    @TemplateData
    public record Status(boolean ready, String reason, String message, String lastFetchedRevision,
            String lastAppliedRevision, String lastAttemptAt, String lastSuccessAt, List<Problem> errors, List<KindPlan> plan,
            List<Reconcile> runs) {
    }

    /** One thing wrong with a revision, and where: {@code file:line:column}, or a field. */
    @TemplateData
    public record Problem(String where, String message) {
    }

    /** What a revision changes for one kind of object. */
    @TemplateData
    public record KindPlan(String kind, List<String> created, List<String> updated, List<String> deleted, long unchanged) {
    }

    @TemplateData
    public record Reconcile(String trigger, String revision, RunResult.Result result, String reason, String message, Long durationMs,
            String startedAt) {
    }

    /** The plan of a branch or commit against the database, and the authorized_keys lines it would change. */
    @TemplateData
    public record DiffView(String source, String ref, String revision, boolean valid, List<Problem> errors,
            List<KindPlan> plan, List<KeyLines> keys) {
    }

    @TemplateData
    public record KeyLines(String platform, String user, List<String> gained, List<String> lost) {
    }

    @GET
    public Uni<TemplateInstance> list(@RestQuery String notice) {
        return Uni.combine().all().unis(sources.list(), fleet.stats()).asTuple().map(t -> {
            Map<String, FleetStats.SourceState> states = t.getItem2().sources().stream()
                    .collect(Collectors.toMap(FleetStats.SourceState::name, Function.identity()));
            return ui.page(Templates.sources(t.getItem1().stream().map(s -> new SourceRow(s,
                    states.containsKey(s.name()) ? states.get(s.name()).lastFetchedRevision() : null)).toList(),
                    SourceForm.blank(), ui.notice(notice)));
        });
    }

    @GET
    @Path("{name}")
    public Uni<TemplateInstance> source(@RestPath String name, @RestQuery String notice) {
        return sources.get(name).chain(view -> sources.status(name, config.runsShown())
                .map(NotFoundException.ifMissing("GitOps source", name))
                .map(status -> ui.page(Templates.source(new SourceDetail(view, status(status), ui.notice(notice),
                        SourceForm.of(view))))));
    }

    /** Makes a source (admin). The token and webhook secret are sealed by the service and never shown again. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> create(@RestForm String name, @RestForm String url, @RestForm String branch, @RestForm String path,
            @RestForm String interval, @RestForm boolean prune, @RestForm String username, @RestForm String token,
            @RestForm String credential, @RestForm("webhook_secret") String webhookSecret, @RestForm("host_key") String hostKey) {
        SourceService.Request request = new SourceService.Request(Forms.blankToNull(name), Forms.blankToNull(url),
                Forms.blankToNull(branch), Forms.blankToNull(path), Forms.blankToNull(interval), prune, null,
                Forms.blankToNull(username), emptyToNull(token), Forms.blankToNull(credential), emptyToNull(webhookSecret),
                Forms.blankToNull(hostKey));
        return sources.create(request).map(v -> Response.seeOther(URI.create("/gitops/" + v.name() + "?notice=created")).build());
    }

    /**
     * Changes a source (admin). The URL field shows the URL without its user-info, so the shown URL
     * posted back keeps the stored one; an empty token or webhook secret keeps the stored one, and
     * {@code clear_token} / {@code clear_webhook_secret} remove it. Blank path and interval keep theirs.
     */
    @POST
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> update(@RestPath String name, @RestForm String url, @RestForm String branch, @RestForm String path,
            @RestForm String interval, @RestForm boolean prune, @RestForm String username, @RestForm String token,
            @RestForm("clear_token") boolean clearToken, @RestForm String credential,
            @RestForm("webhook_secret") String webhookSecret, @RestForm("clear_webhook_secret") boolean clearWebhookSecret,
            @RestForm("host_key") String hostKey) {
        return sources.get(name).chain(current -> {
            String newUrl = Forms.blankToNull(url);
            SourceService.Request request = new SourceService.Request(null, newUrl == null || newUrl.equals(current.url()) ? null : newUrl,
                    Forms.blankToNull(branch), Forms.blankToNull(path), Forms.blankToNull(interval), prune, null,
                    username == null ? "" : username.strip(), clearToken ? null : emptyToNull(token),
                    credential == null ? "" : credential.strip(), clearWebhookSecret ? null : emptyToNull(webhookSecret),
                    hostKey == null ? "" : hostKey.strip());
            return sources.update(name, request).chain(v -> sources.clearSecrets(name, clearToken, clearWebhookSecret));
        }).map(v -> Response.seeOther(URI.create("/gitops/" + name + "?notice=saved")).build());
    }

    /** Deletes a source made through the API (admin); its objects stay, handed over to the API. */
    @POST
    @Path("{name}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> delete(@RestPath String name) {
        return sources.delete(name).map(x -> Response.seeOther(URI.create("/gitops?notice=deleted")).build());
    }

    private static String emptyToNull(String secret) {
        return secret == null || secret.isEmpty() ? null : secret;
    }

    /** Fetches {@code ref} (default: the source's branch) and shows what applying it would change; applies nothing. */
    @GET
    @Path("{name}/diff")
    public Uni<TemplateInstance> diff(@RestPath String name, @RestQuery String ref) {
        return sources.get(name).chain(view -> VertxContextSupport.executeBlocking(() -> previews.diff(name, ref)))
                .map(answer -> ui.page(Templates.diff(diff(answer))));
    }

    /** Reconciles now and waits, then shows the source with the result. */
    @POST
    @Path("{name}/sync")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> sync(@RestPath String name) {
        return sources.get(name).chain(view -> VertxContextSupport.executeBlocking(
                () -> reconciler.reconcile(name, "manual", true, true)))
                .map(run -> Response.seeOther(URI.create("/gitops/" + name + "?notice=synced")).build());
    }

    @POST
    @Path("{name}/suspend")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> suspend(@RestPath String name, @RestForm boolean suspended) {
        return sources.suspend(name, suspended).map(view -> Response.seeOther(URI.create("/gitops/" + name + "?notice="
                + (suspended ? "suspended" : "resumed"))).build());
    }

    @SuppressWarnings("unchecked")
    static Status status(Map<String, Object> s) {
        List<Reconcile> runs = new ArrayList<>();
        for (Map<String, Object> run : (List<Map<String, Object>>) s.getOrDefault("runs", List.of())) {
            runs.add(new Reconcile(text(run.get("trigger")), text(run.get("revision")), RunResult.Result.of(text(run.get("result"))),
                    text(run.get("reason")), text(run.get("message")),
                    run.get("duration_ms") instanceof Number n ? n.longValue() : null, text(run.get("started_at"))));
        }
        return new Status(Boolean.TRUE.equals(s.get("ready")), text(s.get("reason")), text(s.get("message")),
                text(s.get("last_fetched_revision")), text(s.get("last_applied_revision")), text(s.get("last_attempt_at")),
                text(s.get("last_success_at")), problems(s.get("errors")), plan(s.get("plan")), runs);
    }

    @SuppressWarnings("unchecked")
    static DiffView diff(Map<String, Object> d) {
        List<KeyLines> keys = new ArrayList<>();
        for (Map<String, Object> pair : (List<Map<String, Object>>) d.getOrDefault("authorized_keys", List.of())) {
            keys.add(new KeyLines(text(pair.get("platform")), text(pair.get("user")), strings(pair.get("gained")),
                    strings(pair.get("lost"))));
        }
        return new DiffView(text(d.get("source")), text(d.get("ref")), text(d.get("revision")),
                Boolean.TRUE.equals(d.get("valid")), problems(d.get("errors")), plan(d.get("plan")), keys);
    }

    private static List<Problem> problems(Object raw) {
        List<Problem> problems = new ArrayList<>();
        if (raw instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> e) {
                    String where = e.get("file") != null
                            ? e.get("file") + (e.get("line") == null ? "" : ":" + e.get("line")
                                    + (e.get("column") == null ? "" : ":" + e.get("column")))
                            : text(e.get("field"));
                    problems.add(new Problem(where == null ? "" : where, text(e.get("message"))));
                }
            }
        }
        return problems;
    }

    private static final List<String> KINDS = List.of("platform", "ssh_key", "credential", "access", "schedule", "alert");

    static List<KindPlan> plan(Object raw) {
        List<KindPlan> plan = new ArrayList<>();
        if (raw instanceof Map<?, ?> kinds) {
            for (String kind : KINDS) {
                if (kinds.get(kind) instanceof Map<?, ?> k) {
                    plan.add(new KindPlan(kind, strings(k.get("created")), strings(k.get("updated")), strings(k.get("deleted")),
                            k.get("unchanged") instanceof Number n ? n.longValue() : 0));
                }
            }
        }
        return plan;
    }

    private static List<String> strings(Object raw) {
        List<String> strings = new ArrayList<>();
        if (raw instanceof List<?> list) {
            list.forEach(item -> strings.add(String.valueOf(item)));
        }
        return strings;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}

package io.testum.web;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
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
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.ProblemException;
import io.testum.deploy.AccessHistory;
import io.testum.deploy.DeploymentRecord;
import io.testum.deploy.DeploymentRecords;
import io.testum.deploy.DeploymentStatus;
import io.testum.inventory.Reachability;
import io.testum.deploy.DeploymentService;
import io.testum.deploy.HostKeyService;
import io.testum.deploy.PlatformConnector;
import io.testum.deploy.Observed;
import io.testum.deploy.UnmanagedKeyService;
import io.testum.deploy.UnmanagedMode;
import io.testum.inventory.InventoryChanged;
import io.testum.inventory.Labels;
import io.testum.inventory.PlatformRequest;
import io.testum.inventory.PlatformRules;
import io.testum.inventory.PlatformService;
import io.testum.inventory.PlatformView;
import io.testum.runs.RunRequest;
import io.testum.runs.RunService;
import io.testum.runs.RunStatus;
import io.testum.runs.RunViews;
import io.testum.stats.Container;
import io.testum.stats.ContainerLogs;
import io.testum.stats.ContainerService;
import io.testum.stats.HostStats;
import io.testum.stats.HostStatsService;

/**
 * Platforms: the list with label and status filters, and one platform with its facts, stats, the
 * deployment of each account's keys (with drifted lines), the keys found outside the managed
 * block (and, for operators, what {@code unmanaged: remove} would take out), the access history of
 * each account as a timeline, test SSH, deploy now, and a command run with live output.
 */
@Path("/platforms")
@WebPage
@Produces(MediaType.TEXT_HTML)
public class PlatformsPage {

    static final int PAGE_SIZE = 100;
    /** How many keys outside the managed blocks the platform page lists; the export lists them all. */
    static final int UNMANAGED_LISTED = 500;
    /** How many access history intervals the platform page lists per account; the export lists them all. */
    static final int HISTORY_LISTED = 50;

    private final PlatformService platforms;
    private final DeploymentRecords deployments;
    private final DeploymentService deployer;
    private final PlatformConnector connector;
    private final HostStatsService stats;
    private final RunService runs;
    private final UnmanagedKeyService unmanaged;
    private final AccessHistory history;
    private final HostKeyService hostKeys;
    private final ContainerService containers;
    private final UiContext ui;

    public PlatformsPage(PlatformService platforms, DeploymentRecords deployments, DeploymentService deployer,
            PlatformConnector connector, HostStatsService stats, RunService runs, UnmanagedKeyService unmanaged,
            AccessHistory history, HostKeyService hostKeys, ContainerService containers, UiContext ui) {
        this.hostKeys = hostKeys;
        this.containers = containers;
        this.platforms = platforms;
        this.history = history;
        this.unmanaged = unmanaged;
        this.deployments = deployments;
        this.deployer = deployer;
        this.connector = connector;
        this.stats = stats;
        this.runs = runs;
        this.ui = ui;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance platforms(PlatformsView platforms);

        static native TemplateInstance platform(PlatformDetail platform);

        static native TemplateInstance stats(StatsView stats);

        static native TemplateInstance removal(RemovalView removal);

        static native TemplateInstance hostKey(HostKeyService.Standing hostKey);

        static native TemplateInstance containers(ContainersView containers);

        static native TemplateInstance logs(LogsView logs);
    }

    @TemplateData
    public record PlatformsView(Page<PlatformView> page, String label, String status, String q, String notice,
            String prev, String next, PlatformForm blank, Map<String, DeploymentStatus> deployments) {

        /** The deployment state that speaks for a listed platform (the worst of its accounts'), or null without any. */
        public DeploymentStatus deployment(String platform) {
            return deployments.get(platform);
        }

        /** The reachabilities the list may be filtered by. */
        public List<Reachability> reachabilities() {
            return List.of(Reachability.values());
        }
    }

    /**
     * What the create and edit forms show, never null. {@code hostKeyLocked}: only an admin may
     * declare the host key, so others see it read-only; {@code addressLocked}: the address has a
     * pinned host key, and only an admin may point the platform elsewhere.
     */
    @TemplateData
    public record PlatformForm(String host, String port, String username, String authMethod, String credential,
            String hostKey, String labels, String authorizedKeysPath, String authorizedKeysMode, String description,
            boolean hostKeyLocked, boolean addressLocked) {

        static PlatformForm blank(boolean admin) {
            return new PlatformForm("", Integer.toString(PlatformRules.DEFAULT_PORT), "", "key", "", "", "",
                    PlatformRules.DEFAULT_AUTHORIZED_KEYS_PATH, PlatformRules.MODE_MERGE, "", !admin, false);
        }

        static PlatformForm of(PlatformView p, boolean admin, boolean pinned) {
            return new PlatformForm(p.host(), Integer.toString(p.port()), p.username(), p.authMethod(),
                    p.credential() == null ? "" : p.credential(), p.hostKey() == null ? "" : p.hostKey(), Forms.labels(p.labels()),
                    p.authorizedKeysPath(), p.authorizedKeysMode(), p.description() == null ? "" : p.description(), !admin,
                    !admin && (pinned || p.hostKey() != null));
        }
    }

    /**
     * One platform. {@code run}: the command run just started from this page, followed live;
     * {@code sshTest}: the answer of a test-SSH click.
     */
    @TemplateData
    public record PlatformDetail(PlatformView platform, PlatformForm form, List<Deployment> deployments,
            UnmanagedSection unmanaged, List<AccountTimeline> history, RunPanel run, PlatformConnector.SshTest sshTest, String notice) {

        public boolean editable() {
            return io.testum.common.Source.API.equals(platform.source());
        }
    }

    /** One account's authorized_keys on the platform; {@code added}/{@code removed}: drifted lines found on the host. */
    @TemplateData
    public record Deployment(String user, String path, List<String> keys, DeploymentStatus status, Instant lastAttemptAt,
            Instant lastSuccessAt, String error, List<String> added, List<String> removed) {
    }

    /**
     * The keys outside the platform's managed blocks, by account; {@code total}: how many there are
     * ({@code listed} at most are shown); {@code mode}: what the platform's source says of them.
     */
    @TemplateData
    public record UnmanagedSection(List<AccountKeys> accounts, long total, long listed, UnmanagedMode mode) {

        /** Whether the source removes them: then operators may preview the removal. */
        public boolean removes() {
            return mode == UnmanagedMode.REMOVE;
        }

        /** What the source says, as it writes it ({@code keep}, ...). */
        public String modeWord() {
            return mode.wire();
        }

        static UnmanagedSection of(Page<UnmanagedKeyService.UnmanagedKeyView> page, UnmanagedMode mode) {
            return new UnmanagedSection(AccountKeys.of(page.items()), page.total(), page.size(), mode);
        }
    }

    /** One account's keys outside the managed block. */
    @TemplateData
    public record AccountKeys(String user, List<UnmanagedKeyService.UnmanagedKeyView> keys) {

        /** {@code keys} by account, in their order. */
        static List<AccountKeys> of(List<UnmanagedKeyService.UnmanagedKeyView> keys) {
            Map<String, List<UnmanagedKeyService.UnmanagedKeyView>> byAccount = new java.util.LinkedHashMap<>();
            keys.forEach(k -> byAccount.computeIfAbsent(k.user(), u -> new ArrayList<>()).add(k));
            return byAccount.entrySet().stream().map(e -> new AccountKeys(e.getKey(), List.copyOf(e.getValue()))).toList();
        }
    }

    /**
     * One account's access history on the platform, newest first: the latest {@code intervals}
     * of {@code total}.
     */
    @TemplateData
    public record AccountTimeline(String user, List<TimelineEntry> intervals, long total) {

        public boolean more() {
            return total > intervals.size();
        }

        static AccountTimeline of(AccessHistory.AccountHistory h) {
            return new AccountTimeline(h.user(), h.intervals().stream().map(TimelineEntry::of).toList(), h.total());
        }
    }

    /**
     * One interval of the access history: what testum saw ({@code observed}: managed, drift,
     * unmanaged), from when to when ({@code to} null while in force), why it ended, its keys, and
     * the changes behind it (none for what testum found on the host).
     */
    @TemplateData
    public record TimelineEntry(String observed, Instant from, Instant to, Instant lastSeenAt, String ended, List<TimelineKey> keys,
            List<TimelineCause> causes) {

        /** Whether the host held something testum did not deploy: a changed block. */
        public boolean drift() {
            return Observed.DRIFT.wire().equals(observed);
        }

        public boolean inForce() {
            return to == null;
        }

        static TimelineEntry of(AccessHistory.Interval i) {
            return new TimelineEntry(i.observed().wire(), i.from(), i.to(), i.lastSeenAt(), i.ended() == null ? null : i.ended().wire(),
                    i.keys().stream().map(k -> new TimelineKey(k.name(), k.fingerprint())).toList(),
                    i.changes().stream().map(TimelineCause::of).toList());
        }
    }

    /** A key of an interval: its name (null when testum has no key of that fingerprint) and fingerprint. */
    @TemplateData
    public record TimelineKey(String name, String fingerprint) {
    }

    /**
     * A change behind a block. {@code kind}: {@code gitops} (a source at a revision), {@code api}
     * (a call, by whom), {@code import}, {@code restore} or {@code expiry} (the grants whose time ran out);
     * {@code revision} (shortened), {@code actor} and {@code request} are empty when not known.
     */
    @TemplateData
    public record TimelineCause(String kind, String source, String revision, String actor, String request, String grants) {

        static TimelineCause of(AccessHistory.Change c) {
            String kind = c.source() == null ? "unknown" : switch (c.source()) {
                case InventoryChanged.API, InventoryChanged.IMPORT, InventoryChanged.RESTORE, InventoryChanged.EXPIRY -> c.source();
                default -> "gitops";
            };
            return new TimelineCause(kind, c.source(), Format.rev(c.revision()), c.actor() == null ? "" : c.actor(),
                    c.request() == null ? "" : c.request(), String.join(", ", c.grants()));
        }
    }

    /** What {@code unmanaged: remove} would take out of the platform; {@code enabled}: whether its source says remove. */
    @TemplateData
    public record RemovalView(UnmanagedKeyService.RemovalPreview preview, List<AccountKeys> accounts) {

        public boolean enabled() {
            return preview.unmanaged() == UnmanagedMode.REMOVE;
        }

        /** What the source says, as it writes it ({@code keep}, ...). */
        public String mode() {
            return preview.unmanaged().wire();
        }

        /** The accounts with lines that are not keys, and how many. */
        public List<Unparsed> unparsed() {
            return preview.unparsedLines().entrySet().stream().map(e -> new Unparsed(e.getKey(), e.getValue())).toList();
        }
    }

    /** How many lines of an account's file are not keys (never shown). */
    @TemplateData
    public record Unparsed(String user, long lines) {
    }

    @TemplateData
    public record RunPanel(RunViews.Detail detail, boolean live, String labels) {
    }

    /** Host stats, written for people: uptime in days, hours and minutes, sizes in KiB, MiB, GiB. */
    @TemplateData
    public record StatsView(String error, long days, long hours, long minutes, String load, String memoryUsed,
            String memoryTotal, List<Disk> disks, Instant collectedAt) {

        static StatsView of(HostStats s) {
            long up = s.uptimeSeconds();
            return new StatsView(null, up / 86400, up % 86400 / 3600, up % 3600 / 60,
                    String.join(" · ", s.load().stream().map(l -> String.format(java.util.Locale.ROOT, "%.2f", l)).toList()),
                    Format.bytes(s.memory().usedBytes()), Format.bytes(s.memory().totalBytes()),
                    s.disks().stream().map(d -> new Disk(d.mount(), Format.bytes(d.usedBytes()), Format.bytes(d.sizeBytes())))
                            .toList(), s.collectedAt());
        }

        static StatsView failed(String error) {
            return new StatsView(error, 0, 0, 0, "", "", "", List.of(), null);
        }
    }

    @TemplateData
    public record Disk(String mount, String used, String size) {
    }

    /** A platform's docker containers, or why they could not be listed. */
    @TemplateData
    public record ContainersView(String platform, List<Container> containers, String error) {
    }

    /** The last lines a container wrote, or why they could not be read. */
    @TemplateData
    public record LogsView(String platform, String container, int tail, ContainerLogs logs, String error) {
    }

    @GET
    public Uni<TemplateInstance> list(@RestQuery String label, @RestQuery String status, @RestQuery String q,
            @RestQuery Integer page, @RestQuery String notice) {
        List<Labels.Filter> filters = Labels.Filter.parseAll(Forms.list(label));
        String reachability = Forms.blankToNull(status);
        return platforms.list(filters, Forms.blankToNull(q), reachability, PageRequest.of(page, PAGE_SIZE))
                .chain(result -> deployments.worstOf(result.items().stream().map(PlatformView::name).toList())
                        .map(worst -> ui.page(Templates.platforms(new PlatformsView(result, label == null ? "" : label,
                                reachability == null ? "" : reachability, q == null ? "" : q, ui.notice(notice),
                                Paging.previous(result), Paging.next(result), PlatformForm.blank(ui.isAdmin()), worst)))));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> create(@RestForm String name, @RestForm String host, @RestForm Integer port,
            @RestForm String username, @RestForm("auth_method") String authMethod, @RestForm String credential,
            @RestForm("host_key") String hostKey, @RestForm String labels, @RestForm("authorized_keys_path") String path,
            @RestForm("authorized_keys_mode") String mode, @RestForm String description) {
        PlatformRequest request = new PlatformRequest(Forms.blankToNull(name), Forms.blankToNull(host), port,
                Forms.blankToNull(username), Forms.blankToNull(authMethod), Forms.blankToNull(credential),
                Forms.blankToNull(hostKey), Forms.labels(labels, "labels"), Forms.blankToNull(path), Forms.blankToNull(mode),
                Forms.blankToNull(description));
        return platforms.create(request, ui.caller().orElse(null)).map(v -> Response.seeOther(URI.create("/platforms/" + v.name() + "?notice=created")).build());
    }

    @GET
    @Path("{name}")
    public Uni<TemplateInstance> platform(@RestPath String name, @RestQuery String run, @RestQuery String notice) {
        return detail(name, run, null, notice).map(d -> ui.page(Templates.platform(d)));
    }

    private Uni<PlatformDetail> detail(String name, String run, PlatformConnector.SshTest sshTest, String notice) {
        return platforms.get(name).chain(view -> deployments.platform(name).chain(row -> (row == null
                ? Uni.createFrom().item(List.<DeploymentRecord>of())
                : deployments.forPlatform(row.id()))
                .chain(records -> unmanagedSection(name).chain(keys -> history.timeline(name, HISTORY_LISTED)
                        .chain(timeline -> runPanel(run).map(panel -> new PlatformDetail(view,
                        PlatformForm.of(view, ui.isAdmin(), row != null && row.pinnedHostKey() != null),
                        records.stream().map(PlatformsPage::deployment).toList(), keys,
                        timeline.stream().map(AccountTimeline::of).toList(), panel, sshTest, ui.notice(notice))))))));
    }

    private Uni<UnmanagedSection> unmanagedSection(String name) {
        return unmanaged.ofPlatform(name, new PageRequest(0, UNMANAGED_LISTED))
                .chain(keys -> unmanaged.mode(name).map(mode -> UnmanagedSection.of(keys, mode)));
    }

    private Uni<RunPanel> runPanel(String run) {
        if (run == null || run.isBlank()) {
            return Uni.createFrom().nullItem();
        }
        UUID id = RunsPage.id(run);
        return runs.get(id, 0, RunsPage.HOSTS_PER_PAGE, RunsPage.PREVIEW_BYTES).map(detail -> detail == null ? null
                : new RunPanel(detail, !RunStatus.of(detail.status()).finished(), RunsPage.labels(ui.msg())));
    }

    @SuppressWarnings("unchecked")
    private static Deployment deployment(DeploymentRecord r) {
        Map<String, Object> drifted = r.driftedLines() == null ? Map.of() : r.driftedLines();
        return new Deployment(r.account(), r.path(), r.keys(), r.status(), r.lastAttemptAt(), r.lastSuccessAt(), r.lastError(),
                lines(drifted.get("added")), lines(drifted.get("removed")));
    }

    private static List<String> lines(Object value) {
        List<String> lines = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(line -> lines.add(String.valueOf(line)));
        }
        return lines;
    }

    @POST
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> update(@RestPath String name, @RestForm String host, @RestForm Integer port,
            @RestForm String username, @RestForm("auth_method") String authMethod, @RestForm String credential,
            @RestForm("host_key") String hostKey, @RestForm String labels, @RestForm("authorized_keys_path") String path,
            @RestForm("authorized_keys_mode") String mode, @RestForm String description) {
        PlatformRequest request = new PlatformRequest(name, Forms.blankToNull(host), port, Forms.blankToNull(username),
                Forms.blankToNull(authMethod), Forms.blankToNull(credential), Forms.blankToNull(hostKey),
                Forms.labels(labels, "labels"), Forms.blankToNull(path), Forms.blankToNull(mode), Forms.blankToNull(description));
        return platforms.update(name, request, ui.caller().orElse(null)).map(v -> Response.seeOther(URI.create("/platforms/" + name + "?notice=saved")).build());
    }

    @POST
    @Path("{name}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> delete(@RestPath String name) {
        return platforms.delete(name).map(x -> Response.seeOther(URI.create("/platforms?notice=deleted")).build());
    }

    /**
     * A dry run of {@code unmanaged: remove} on the platform, as of the last read of each file, with
     * the button that removes them now (a deployment) when the source says remove. Operators only,
     * like that button.
     */
    @GET
    @Path("{name}/removal")
    public Uni<TemplateInstance> removal(@RestPath String name) {
        return unmanaged.removal(name)
                .map(preview -> ui.page(Templates.removal(new RemovalView(preview, AccountKeys.of(preview.keys())))));
    }

    /** The host's stats, as a part of the platform page that loads after it (one SSH command). */
    @GET
    @Path("{name}/stats")
    public Uni<TemplateInstance> stats(@RestPath String name, @RestQuery boolean refresh) {
        String requester = ui.username();
        return VertxContextSupport.executeBlocking(() -> stats.stats(name, refresh, requester))
                .map(StatsView::of)
                .onFailure(ProblemException.class).recoverWithItem(e -> StatsView.failed(e.getMessage()))
                .map(view -> ui.page(Templates.stats(view)));
    }

    /**
     * The host key pinned for the platform's address, the one the host presented when a deployment
     * was refused for it, and the button that forgets the pin (admin): a page of its own, so the
     * confirmation needs no script.
     */
    @GET
    @Path("{name}/host-key")
    public Uni<TemplateInstance> hostKey(@RestPath String name) {
        return VertxContextSupport.executeBlocking(() -> hostKeys.standing(name)).map(standing -> ui.page(Templates.hostKey(standing)));
    }

    /** Forgets the pinned host key (admin); the next connection pins what it finds, or the declared key. */
    @POST
    @Path("{name}/host-key/forget")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> forgetHostKey(@RestPath String name) {
        return VertxContextSupport.executeBlocking(() -> hostKeys.forget(name))
                .map(x -> Response.seeOther(URI.create("/platforms/" + name + "?notice=host_key_forgotten")).build());
    }

    /** The platform's docker containers ({@code docker ps -a} over SSH). */
    @GET
    @Path("{name}/containers")
    public Uni<TemplateInstance> containers(@RestPath String name) {
        String requester = ui.username();
        return VertxContextSupport.executeBlocking(() -> new ContainersView(name, containers.list(name, requester), null))
                .onFailure(ProblemException.class).recoverWithItem(e -> new ContainersView(name, List.of(), e.getMessage()))
                .map(view -> ui.page(Templates.containers(view)));
    }

    /** A container's last {@code tail} lines (operators, as in the API: logs may hold what only operators should read). */
    @GET
    @Path("{name}/containers/{id}/logs")
    public Uni<TemplateInstance> logs(@RestPath String name, @RestPath String id, @RestQuery Integer tail) {
        String requester = ui.username();
        int lines = tail == null ? 200 : tail;
        return VertxContextSupport.executeBlocking(() -> new LogsView(name, id, lines, containers.logs(name, id, lines, requester), null))
                .onFailure(e -> e instanceof ProblemException && !(e instanceof io.testum.common.ValidationException))
                .recoverWithItem(e -> new LogsView(name, id, lines, null, e.getMessage()))
                .map(view -> ui.page(Templates.logs(view)));
    }

    /** Logs in as deployments do and says how that went. */
    @POST
    @Path("{name}/test-ssh")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<TemplateInstance> testSsh(@RestPath String name) {
        return VertxContextSupport.executeBlocking(() -> connector.testSsh(name))
                .chain(result -> detail(name, null, result, null)).map(d -> ui.page(Templates.platform(d)));
    }

    /** Deploys every account's keys now and waits. */
    @POST
    @Path("{name}/deploy-keys")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> deployKeys(@RestPath String name) {
        return VertxContextSupport.executeBlocking(() -> deployer.deployNow(name))
                .map(x -> Response.seeOther(URI.create("/platforms/" + name + "?notice=deployed")).build());
    }

    /** Runs a command on this platform and comes back to it, following the output live. */
    @POST
    @Path("{name}/run")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> run(@RestPath String name, @RestForm String command, @RestForm Integer timeout) {
        return runs.runCommand(name, new RunRequest.Command(command, timeout), ui.username())
                .map(task -> Response.seeOther(URI.create("/platforms/" + name + "?run=" + task.taskId() + "#run")).build());
    }
}

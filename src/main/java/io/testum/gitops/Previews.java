package io.testum.gitops;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Named;

import io.testum.audit.AuditContext;
import io.testum.common.FieldError;
import io.testum.common.Source;
import io.testum.common.ValidationException;
import io.testum.common.Violations;
import io.testum.db.DatabaseConfig;
import io.testum.deploy.DeploymentRecords;
import io.testum.deploy.DesiredState;
import io.testum.deploy.ManagedBlock;
import io.testum.inventory.ChangeCauses;
import io.testum.inventory.InventoryChanged;

/**
 * What a revision would do, without doing it ({@code GET …/diff}), and the one-shot import of
 * any repository ({@code POST /api/gitops/import}, compatible with the earlier testum). Blocking.
 */
@ApplicationScoped
public class Previews {


    private final Reconciler reconciler;
    private final SourceService sources;
    private final InventoryStore store;
    private final DeploymentRecords deployments;
    private final Event<InventoryChanged> changes;
    private final ChangeCauses causes;
    private final GitopsConfig config;
    private final GitFetcher imports;
    private final Duration databaseWait;

    public Previews(Reconciler reconciler, SourceService sources, InventoryStore store, DeploymentRecords deployments,
            Event<InventoryChanged> changes, ChangeCauses causes, GitopsConfig config,
            @Named(GitFetchers.IMPORT) GitFetcher imports, DatabaseConfig database) {
        this.causes = causes;
        this.reconciler = reconciler;
        this.sources = sources;
        this.store = store;
        this.deployments = deployments;
        this.changes = changes;
        this.config = config;
        this.imports = imports;
        this.databaseWait = database.waitTimeout();
    }

    /**
     * The plan of {@code ref} (default: the source's branch) against the database, with the
     * authorized_keys lines each (platform, user) would gain and lose.
     */
    public Map<String, Object> diff(String name, String ref) {
        GitSource source = sources.require(name).await().atMost(databaseWait);
        String wanted = ref == null || ref.isBlank() ? source.branch() : ref;
        Violations v = new Violations();
        GitRefs.check(wanted, "ref", v);
        v.throwIfAny();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("source", name);
        answer.put("ref", wanted);
        GitFetcher.Fetched fetched;
        try {
            fetched = reconciler.preview(source, wanted);
        } catch (GitFetcher.UnknownRefException e) {
            throw new ValidationException("ref", e.getMessage());
        } catch (GitFetcher.FetchException e) {
            throw new FetchFailedException(e.getMessage());
        } catch (GitFetcher.UnreadableDocumentException e) {
            answer.put("revision", null);
            return invalid(answer, List.of(FieldError.at(source.path() == null ? "(repository)" : source.path(), 1, 1,
                    e.getMessage())));
        }
        answer.put("revision", fetched.revision());
        DesiredDocument document;
        try {
            document = DocumentParser.parse(fetched.files(), config.maxDocumentObjects());
        } catch (DocumentException e) {
            return invalid(answer, e.errors());
        }
        Snapshot snapshot = store.snapshot().await().atMost(databaseWait);
        Planner.Result planned = store.plan(document, snapshot, name);
        answer.put("plan", planned.plan().toMap());
        if (!planned.errors().isEmpty()) {
            return invalid(answer, planned.errors());
        }
        answer.put("valid", true);
        answer.put("errors", List.of());
        answer.put("authorized_keys", lines(snapshot, planned.changes()));
        return answer;
    }

    private static Map<String, Object> invalid(Map<String, Object> answer, List<FieldError> errors) {
        answer.put("valid", false);
        answer.put("errors", new RunResult(null, null, null, RunResult.Result.STALLED, null, null, null, errors, 0,
                Instant.now()).errorMaps());
        return answer;
    }

    /** Per (platform, user) whose block would change: the lines gained and lost. */
    private List<Map<String, Object>> lines(Snapshot snapshot, Planner.Changes changes) {
        DesiredState.Inventory now = deployments.inventory().await().atMost(databaseWait);
        Map<DesiredState.Pair, DesiredState.Desired> before = DesiredState.compute(now.platforms(), now.grants(),
                now.testumKeys(), now.existing());

        Map<String, String> keyLines = new HashMap<>();
        snapshot.keys().forEach((n, k) -> keyLines.put(n, k.spec().publicKey()));
        changes.deletedKeys().forEach(keyLines::remove);
        changes.keys().forEach((n, k) -> keyLines.put(n, k.parsed().line()));

        AtomicLong synthetic = new AtomicLong(-1);
        Map<String, DesiredState.PlatformRow> platforms = new LinkedHashMap<>();
        now.platforms().forEach(p -> platforms.put(p.name(), p));
        changes.deletedPlatforms().forEach(platforms::remove);
        changes.platforms().forEach((n, p) -> {
            DesiredState.PlatformRow old = platforms.get(n);
            platforms.put(n, new DesiredState.PlatformRow(old == null ? synthetic.getAndDecrement() : old.id(), n, p.host(),
                    p.port(), p.username(), p.authMethod(), p.credential(), p.labels(), p.path(), "exclusive".equals(p.mode()),
                    p.hostKey(), old == null ? null : old.pinnedHostKey()));
        });
        Map<String, Long> ids = new HashMap<>();
        platforms.forEach((n, p) -> ids.put(n, p.id()));
        Map<Long, String> names = new HashMap<>();
        platforms.forEach((n, p) -> names.put(p.id(), n));

        Map<String, DesiredState.GrantRow> grants = new LinkedHashMap<>();
        now.grants().forEach(g -> grants.put(g.name(), g));
        changes.deletedGrants().forEach(grants::remove);
        Instant instant = Instant.now();
        changes.grants().forEach((n, g) -> {
            if (g.expires() != null && !g.expires().isAfter(instant)) {
                grants.remove(n);
                return;
            }
            grants.put(n, new DesiredState.GrantRow(n, Set.copyOf(g.platforms().stream().map(ids::get).filter(java.util.Objects::nonNull)
                    .toList()), g.selector(), g.user(), g.options(), g.keys().stream()
                    .map(k -> new DesiredState.KeyRow(k, keyLines.get(k))).toList()));
        });
        List<DesiredState.GrantRow> finalGrants = grants.values().stream().map(g -> new DesiredState.GrantRow(g.name(),
                g.platformIds(), g.selector(), g.account(), g.options(), g.keys().stream()
                        .filter(k -> keyLines.containsKey(k.name()))
                        .map(k -> new DesiredState.KeyRow(k.name(), keyLines.get(k.name()))).toList())).toList();
        Map<DesiredState.Pair, DesiredState.Desired> after = DesiredState.compute(new ArrayList<>(platforms.values()),
                finalGrants, now.testumKeys(), now.existing());

        List<Map<String, Object>> out = new ArrayList<>();
        Set<DesiredState.Pair> pairs = new java.util.TreeSet<>(java.util.Comparator.comparing(
                (DesiredState.Pair p) -> String.valueOf(names.getOrDefault(p.platformId(), ""))).thenComparing(DesiredState.Pair::account));
        pairs.addAll(before.keySet());
        pairs.addAll(after.keySet());
        for (DesiredState.Pair pair : pairs) {
            List<String> was = before.containsKey(pair) ? ManagedBlock.lines(before.get(pair).block()) : List.of();
            List<String> will = after.containsKey(pair) ? ManagedBlock.lines(after.get(pair).block()) : List.of();
            List<String> gained = will.stream().filter(l -> !was.contains(l)).toList();
            List<String> lost = was.stream().filter(l -> !will.contains(l)).toList();
            if (!gained.isEmpty() || !lost.isEmpty()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("platform", names.getOrDefault(pair.platformId(), "(deleted)"));
                entry.put("user", pair.account());
                entry.put("gained", gained);
                entry.put("lost", lost);
                out.add(entry);
            }
        }
        return out;
    }

    /** The earlier testum's import request. */
    public record ImportRequest(String gitUrl, String branch, String configPath, String username, String token,
            Boolean dryRun) {
        @Override
        public String toString() {
            return "ImportRequest[" + GitUrls.mask(gitUrl) + ", token=***]";
        }
    }

    /**
     * Fetches any repository once, checks its document, and (unless a dry run) applies it as
     * API-made objects: created or updated, never deleted. Objects a GitOps source manages are
     * not touched (a name clash is an error).
     */
    public Map<String, Object> importOnce(ImportRequest request, AuditContext audit) {
        Violations v = new Violations();
        if (v.required(request.gitUrl(), "git_url")) {
            v.check(request.gitUrl().matches("(file|git|https?)://\\S+"), "git_url", "must be a file://, git:// or http(s):// URL");
        }
        String branch = request.branch() == null || request.branch().isBlank() ? "main" : request.branch();
        GitRefs.check(branch, "branch", v);
        SourceService.checkPath(request.configPath(), "config_path", v);
        v.throwIfAny();
        boolean dryRun = request.dryRun() == null || request.dryRun();
        String id = "import-" + UUID.randomUUID();
        GitFetcher fetcher = imports;
        GitFetcher.Fetched fetched;
        try {
            fetched = fetcher.fetch(new GitFetcher.Request(id, request.gitUrl(), branch, request.configPath(), request.username(),
                    request.token(), null, GitFetcher.HostKeyCheck.FIRST_CONTACT, config.fetchTimeout()), fingerprint -> { });
        } catch (GitFetcher.UnreadableDocumentException e) {
            throw new ValidationException("config_path", e.getMessage());
        } catch (GitFetcher.UnknownRefException e) {
            throw new ValidationException("branch", e.getMessage());
        } catch (GitFetcher.FetchException e) {
            throw new ValidationException("git_url", e.getMessage());
        } finally {
            fetcher.remove(id);
        }
        DesiredDocument parsed = DocumentParser.parse(fetched.files(), config.maxDocumentObjects());
        DesiredDocument document = new DesiredDocument(parsed.keys(), parsed.credentials(), parsed.platforms(),
                parsed.access(), new DesiredDocument.Settings(false, true, parsed.settings().drift(), parsed.settings().unmanaged()));
        Planner.Result planned = store.planAndApply(document, Source.API, fetched.revision(), dryRun).await().atMost(databaseWait);
        if (!planned.errors().isEmpty()) {
            throw new DocumentException(planned.errors());
        }
        boolean applied = !dryRun && !planned.changes().isEmpty();
        if (applied) {
            changes.fire(InventoryChanged.everything(causes.ofRequest(InventoryChanged.IMPORT, fetched.revision())));
        }
        audit.detail("revision", fetched.revision());
        audit.detail("dry_run", dryRun);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("dry_run", dryRun);
        answer.put("revision", fetched.revision());
        answer.put("plan", planned.plan().toMap());
        answer.put("applied", applied);
        return answer;
    }
}

package io.testum.gitops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import io.smallrye.mutiny.Uni;
import io.testum.audit.AuditContext;
import io.testum.common.FieldError;
import io.testum.common.Source;
import io.testum.common.Violations;
import io.testum.db.DatabaseConfig;
import io.testum.gitops.DesiredDocument.Location;
import io.testum.gitops.DesiredDocument.SourceEntry;
import io.testum.inventory.ChangeCauses;
import io.testum.inventory.InventoryChanged;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Backup and restore of the whole inventory in the desired-state format (SPEC §3).
 * <p>
 * The export is what {@link DocumentWriter} makes of the database. A restore reads a document with
 * the GitOps parser and plans it with the GitOps planner as objects owned by the API, as the one-shot
 * import does, never deleting anything:
 * <ul>
 * <li>an object that does not exist is created; one the API owns is updated to the document's values;</li>
 * <li>an object the document's {@code sources} section lists under a source is given to that source
 * (created or taken over from the API), so that the source's next reconcile finds its own objects;
 *     an object that source already manages is left to it untouched;</li>
 * <li>an object managed by any other GitOps source is a conflict: nothing is restored;</li>
 * <li>a source that does not exist is created, without secrets; one that exists is kept as it is.</li>
 * </ul>
 * Blocking: runs on worker threads.
 */
@ApplicationScoped
public class BackupService {

    private static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

    /** A section of the document, the planner's name for its kind, and its table. */
    private record Kind(String section, String label, String table) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind(TopLevel.PLATFORMS, "platform", "platforms"),
            new Kind(TopLevel.KEYS, "ssh_key", "ssh_keys"),
            new Kind(TopLevel.CREDENTIALS, "credential", "credentials"),
            new Kind(TopLevel.ACCESS, "access", "access_grants"));

    /** An object a source gets ({@code assign}) or keeps ({@code keep}) by the restore. */
    record Ownership(Kind kind, String name, SourceEntry source, boolean keep) {

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("kind", kind.label());
            map.put("name", name);
            map.put("source", source.name());
            map.put("action", keep ? "keep" : "assign");
            return map;
        }
    }

    private final InventoryStore store;
    private final SourceRepository sources;
    private final Event<InventoryChanged> changes;
    private final ChangeCauses causes;
    private final Pool pool;
    private final GitopsConfig config;
    private final Duration databaseWait;

    public BackupService(InventoryStore store, SourceRepository sources, Event<InventoryChanged> changes,
            ChangeCauses causes, Pool pool, GitopsConfig config, DatabaseConfig database) {
        this.causes = causes;
        this.store = store;
        this.sources = sources;
        this.changes = changes;
        this.pool = pool;
        this.config = config;
        this.databaseWait = database.waitTimeout();
    }

    /** The whole inventory and every source, as a document, read in one read-only snapshot of the database. */
    public Uni<String> export() {
        return pool.withTransaction(c -> c.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute()
                .flatMap(x -> InventoryStore.snapshot(c))
                .flatMap(inventory -> SourceRepository.all(c).map(all -> DocumentWriter.write(inventory, all))));
    }

    /**
     * Checks and plans {@code files} against the database and, unless {@code dryRun}, applies the plan
     * in one transaction.
     *
     * @throws DocumentException         when the document is invalid (400)
     * @throws RestoreConflictException when it does not fit the inventory (409)
     */
    public Map<String, Object> restore(List<DocumentParser.SourceFile> files, boolean dryRun, AuditContext audit) {
        DesiredDocument document = DocumentParser.parse(files, config.maxDocumentObjects());
        List<FieldError> invalid = new ArrayList<>();
        Map<String, Map<String, SourceEntry>> claims = claims(document, invalid);
        if (!invalid.isEmpty()) {
            throw new DocumentException(invalid);
        }

        Snapshot db = store.snapshot().await().atMost(databaseWait);
        Map<String, GitSource> existing = sources.all().await().atMost(databaseWait).stream()
                .collect(Collectors.toMap(GitSource::name, Function.identity()));

        List<Ownership> ownership = new ArrayList<>();
        DesiredDocument planned = new DesiredDocument(
                toPlan(document.keys(), DesiredDocument.KeyEntry::name, kind(TopLevel.KEYS), db.keys(), claims, ownership),
                toPlan(document.credentials(), DesiredDocument.CredentialEntry::name, kind(TopLevel.CREDENTIALS),
                        db.credentials(), claims, ownership),
                toPlan(document.platforms(), p -> p.request().name(), kind(TopLevel.PLATFORMS), db.platforms(), claims,
                        ownership),
                toPlan(document.access(), a -> a.request().name(), kind(TopLevel.ACCESS), db.grants(), claims, ownership),
                new DesiredDocument.Settings(false, true, document.settings().drift(), document.settings().unmanaged()));
        Planner.Result result = Planner.plan(planned, db, Source.API);

        List<FieldError> conflicts = new ArrayList<>(result.errors());
        Set<String> credentials = new java.util.HashSet<>(db.credentials().keySet());
        document.credentials().forEach(c -> credentials.add(c.name()));
        List<SourceEntry> created = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (SourceEntry s : document.sources()) {
            if (existing.containsKey(s.name())) {
                kept.add(s.name());
                continue;
            }
            created.add(s);
            if (s.credential() != null && !credentials.contains(s.credential())) {
                conflicts.add(Planner.error(s.where().of("credential"), "source '" + s.name() + "': credential '"
                        + s.credential() + "' is defined neither in the document nor in testum"));
            }
        }
        if (!conflicts.isEmpty()) {
            throw new RestoreConflictException(conflicts);
        }

        boolean writes = !result.changes().isEmpty() || !created.isEmpty()
                || ownership.stream().anyMatch(o -> !o.keep());
        boolean applied = false;
        if (!dryRun && writes) {
            pool.withTransaction(c -> store.apply(c, result.changes(), null)
                    .flatMap(x -> createSources(c, created))
                    .flatMap(x -> assign(c, ownership))).await().atMost(databaseWait);
            if (result.plan().changes()) {
                changes.fire(InventoryChanged.everything(causes.ofRequest(InventoryChanged.RESTORE, null)));
            }
            applied = true;
        }

        Map<String, Object> plan = new LinkedHashMap<>(result.plan().toMap());
        Map<String, Object> sourcePlan = new LinkedHashMap<>();
        sourcePlan.put("created", created.stream().map(SourceEntry::name).sorted().toList());
        sourcePlan.put("kept", kept.stream().sorted().toList());
        plan.put("source", sourcePlan);
        audit.detail("dry_run", dryRun);
        audit.detail("plan", plan);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("dry_run", dryRun);
        answer.put("plan", plan);
        answer.put("ownership", ownership.stream().map(Ownership::toMap).toList());
        answer.put("applied", applied);
        return answer;
    }

    /**
     * Which source each object of the document belongs to, by section and name, from the
     * {@code manages} lists; a name the document does not define, or that two sources list, is invalid.
     */
    private static Map<String, Map<String, SourceEntry>> claims(DesiredDocument document, List<FieldError> invalid) {
        Map<String, Set<String>> defined = Map.of(
                TopLevel.KEYS, document.keys().stream().map(DesiredDocument.KeyEntry::name).collect(Collectors.toSet()),
                TopLevel.CREDENTIALS, document.credentials().stream().map(DesiredDocument.CredentialEntry::name)
                        .collect(Collectors.toSet()),
                TopLevel.PLATFORMS, document.platforms().stream().map(p -> p.request().name()).collect(Collectors.toSet()),
                TopLevel.ACCESS, document.access().stream().map(a -> a.request().name()).collect(Collectors.toSet()));
        Map<String, Map<String, SourceEntry>> claims = new HashMap<>();
        for (SourceEntry source : document.sources()) {
            source.manages().forEach((section, names) -> {
                for (int i = 0; i < names.size(); i++) {
                    String name = names.get(i);
                    Location at = source.where().of(SourceSection.MANAGES + "." + section + "[" + i + "]");
                    if (name == null || !defined.get(section).contains(name)) {
                        invalid.add(Planner.error(at, "source '" + source.name() + "': manages " + kind(section).label() + " '"
                                + name + "', which this document does not define under " + section));
                        continue;
                    }
                    SourceEntry first = claims.computeIfAbsent(section, k -> new HashMap<>()).putIfAbsent(name, source);
                    if (first != null && first != source) {
                        invalid.add(Planner.error(at, "source '" + source.name() + "': " + kind(section).label() + " '" + name
                                + "' is also listed under source '" + first.name() + "' at " + first.where().entry()
                                + "; an object has one owner"));
                    }
                }
            });
        }
        return claims;
    }

    /**
     * The entries of one kind that the restore plans: all but those the source that the document names
     * already manages (left to it). Records who each claimed object will belong to.
     */
    private static <E, S> List<E> toPlan(List<E> entries, Function<E, String> name, Kind kind,
            Map<String, Specs.Owned<S>> db, Map<String, Map<String, SourceEntry>> claims, List<Ownership> ownership) {
        Map<String, SourceEntry> claimed = claims.getOrDefault(kind.section(), Map.of());
        List<E> planned = new ArrayList<>();
        for (E entry : entries) {
            String n = name.apply(entry);
            SourceEntry source = claimed.get(n);
            Specs.Owned<S> stored = db.get(n);
            boolean keep = source != null && stored != null && stored.source().equals(source.name());
            if (source != null) {
                ownership.add(new Ownership(kind, n, source, keep));
            }
            if (!keep) {
                planned.add(entry);
            }
        }
        return planned;
    }

    private static Kind kind(String section) {
        return KINDS.stream().filter(k -> k.section().equals(section)).findFirst().orElseThrow();
    }

    private static Uni<Void> createSources(SqlClient c, List<SourceEntry> created) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (SourceEntry s : created) {
            Duration interval = s.interval() == null ? DEFAULT_INTERVAL : SourceService.interval(s.interval(), new Violations());
            SourceRepository.Fields fields = new SourceRepository.Fields(s.url(), Objects.requireNonNullElse(s.branch(), "main"),
                    s.path(), interval, s.prune() == null || s.prune(), Boolean.TRUE.equals(s.suspended()), s.username(), null,
                    s.credential(), null, s.hostKey());
            chain = chain.flatMap(x -> SourceRepository.create(c, s.name(), fields));
        }
        return chain;
    }

    /** Gives each claimed object that the restore wrote to its source, at the source's recorded revision. */
    private static Uni<Void> assign(SqlClient c, List<Ownership> ownership) {
        Map<List<String>, List<String>> groups = new LinkedHashMap<>();
        for (Ownership o : ownership) {
            if (!o.keep()) {
                groups.computeIfAbsent(java.util.Arrays.asList(o.kind().table(), o.source().name(), o.source().revision()),
                        k -> new ArrayList<>()).add(o.name());
            }
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (var group : groups.entrySet()) {
            String table = group.getKey().get(0);
            Tuple args = Tuple.of(group.getValue().toArray(String[]::new), group.getKey().get(1), group.getKey().get(2));
            chain = chain.flatMap(x -> c.preparedQuery("UPDATE " + table + " SET source = $2, source_revision = $3, "
                    + "updated_at = now() WHERE name = ANY($1)").execute(args).replaceWithVoid());
        }
        return chain;
    }
}

package io.testum.gitops;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.common.ConflictException;
import io.testum.alerts.AlertDirectory;
import io.testum.common.Source;
import io.testum.inventory.PlatformDirectory;
import io.testum.keys.KeyDirectory;
import io.testum.schedules.ScheduleChecks;
import io.testum.schedules.ScheduleDirectory;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Reads the inventory as the planner compares it, and applies a plan in one transaction with
 * batched statements, so ten thousand platforms go in at once and nothing is half-applied. Every
 * write is guarded by its owner: a source never overwrites a row the API or another source holds.
 * The SQL belongs to the tables' owners ({@link PlatformDirectory}, {@link KeyDirectory}), which
 * run it in this class's transaction; this class holds the apply lock, the order of the writes
 * and the owner check.
 */
@ApplicationScoped
public class InventoryStore {

    private final Pool pool;
    private final ScheduleChecks scheduleChecks;
    private final AlertDirectory alerts;

    public InventoryStore(Pool pool, ScheduleChecks scheduleChecks, AlertDirectory alerts) {
        this.pool = pool;
        this.scheduleChecks = scheduleChecks;
        this.alerts = alerts;
    }

    Uni<Snapshot> snapshot() {
        return snapshot(pool);
    }

    /**
     * The inventory as {@code c} sees it, read from its owners ({@code inventory}, {@code keys});
     * within one REPEATABLE READ transaction, a consistent one.
     */
    static Uni<Snapshot> snapshot(SqlClient client) {
        return Uni.combine().all().unis(KeyDirectory.storedKeys(client), KeyDirectory.storedCredentials(client),
                PlatformDirectory.stored(client), KeyDirectory.storedGrants(client), ScheduleDirectory.stored(client),
                AlertDirectory.stored(client))
                .with((keys, credentials, platforms, grants, schedules, alerts) -> snapshot(keys, credentials, platforms, grants,
                        schedules, alerts));
    }

    private static Snapshot snapshot(List<KeyDirectory.StoredKey> keyRows, List<KeyDirectory.StoredCredential> credentialRows,
            List<PlatformDirectory.Stored> platformRows, List<KeyDirectory.StoredGrant> grantRows,
            List<ScheduleDirectory.Stored> scheduleRows, List<AlertDirectory.Stored> alertRows) {
        Map<String, String> fingerprints = new HashMap<>();
        Map<String, Specs.Owned<Specs.KeySpec>> keys = new HashMap<>();
        keyRows.forEach(r -> {
            keys.put(r.name(), new Specs.Owned<>(new Specs.KeySpec(r.name(), r.publicKey(), r.description()), r.source(),
                    r.revision()));
            fingerprints.put(r.fingerprint(), r.name());
        });
        Map<String, String> kinds = new HashMap<>();
        Map<Long, String> credentialNames = new HashMap<>();
        Map<String, Specs.Owned<Specs.CredentialSpec>> credentials = new HashMap<>();
        credentialRows.forEach(r -> {
            credentials.put(r.name(), new Specs.Owned<>(new Specs.CredentialSpec(r.name(), r.secretRef(), r.description()),
                    r.source(), r.revision()));
            credentialNames.put(r.id(), r.name());
            if (r.kind() != null) {
                kinds.put(r.name(), r.kind());
            }
        });
        Map<Long, String> platformNames = new HashMap<>();
        Map<String, Specs.Owned<Specs.PlatformSpec>> platforms = new HashMap<>();
        platformRows.forEach(r -> {
            platforms.put(r.name(), new Specs.Owned<>(new Specs.PlatformSpec(r.name(), r.host(), r.port(), r.username(),
                    r.authMethod(), r.credentialId() == null ? null : credentialNames.get(r.credentialId()), r.hostKey(),
                    r.labels(), r.path(), r.mode(), r.description()), r.source(), r.revision()));
            platformNames.put(r.id(), r.name());
        });
        Map<String, Specs.Owned<Specs.GrantSpec>> grants = new HashMap<>();
        grantRows.forEach(r -> grants.put(r.name(), new Specs.Owned<>(new Specs.GrantSpec(r.name(), r.keys(),
                r.platformIds().stream().map(platformNames::get).filter(Objects::nonNull).sorted().toList(),
                r.selector() == null ? null : Specs.sorted(r.selector()), r.user(), r.options(), r.expires(),
                r.description()), r.source(), r.revision())));
        Map<String, Specs.Owned<Specs.ScheduleSpec>> schedules = new HashMap<>();
        scheduleRows.forEach(r -> schedules.put(r.view().name(), new Specs.Owned<>(Specs.ScheduleSpec.of(r.view()),
                r.view().source(), r.revision())));
        Map<String, Specs.Owned<AlertDirectory.Spec>> alerts = new HashMap<>();
        alertRows.forEach(r -> alerts.put(r.spec().name(), new Specs.Owned<>(r.spec(), r.source(), r.revision())));
        return new Snapshot(keys, fingerprints, credentials, kinds, platforms, grants, schedules, alerts);
    }

    /** The plan of {@code document} for {@code source} against {@code db}, by the rules the apply checks too. */
    Planner.Result plan(DesiredDocument document, Snapshot db, String source) {
        return Planner.plan(document, db, source, scheduleChecks::check, alerts::checkUrl);
    }

    /**
     * Plans {@code document} for {@code source} against the inventory and, unless {@code dryRun} or the
     * plan has errors, applies it: all in one transaction under the apply lock, so the plan is made
     * from what is committed once no other apply can run.
     */
    Uni<Planner.Result> planAndApply(DesiredDocument document, String source, String revision, boolean dryRun) {
        return pool.withTransaction(c -> lock(c).flatMap(x -> snapshot(c)).flatMap(db -> {
            Planner.Result planned = plan(document, db, source);
            if (dryRun || !planned.errors().isEmpty() || planned.changes().isEmpty()) {
                return Uni.createFrom().item(planned);
            }
            return write(c, planned.changes(), revision).replaceWith(planned);
        }));
    }

    /**
     * Applies {@code changes} within the caller's transaction {@code c}, under the apply lock. A row
     * that another owner holds by the time of the write is not touched, and the whole transaction
     * fails with {@link OwnerChangedException}.
     */
    Uni<Void> apply(SqlClient c, Planner.Changes changes, String revision) {
        return lock(c).flatMap(x -> write(c, changes, revision));
    }

    /** Serializes applies of every source and restore; held until the transaction ends. */
    private static Uni<Void> lock(SqlClient c) {
        return c.query("SELECT pg_advisory_xact_lock(hashtext('testum.gitops.apply'))").execute().replaceWithVoid();
    }

    private Uni<Void> write(SqlClient c, Planner.Changes changes, String revision) {
        String source = changes.source();
        return KeyDirectory.removeGrants(c, changes.deletedGrants(), changes.grants().keySet(), source)
                .flatMap(x -> PlatformDirectory.deleteOwned(c, changes.deletedPlatforms(), source))
                .flatMap(x -> KeyDirectory.deleteKeys(c, changes.deletedKeys(), source))
                .flatMap(x -> KeyDirectory.upsertCredentials(c, changes.credentials().values().stream()
                        .map(s -> new KeyDirectory.CredentialWrite(s.name(), s.secretRef(), s.description())).toList(),
                        source, revision))
                .flatMap(x -> KeyDirectory.upsertKeys(c, changes.keys().values().stream()
                        .map(k -> new KeyDirectory.KeyWrite(k.name(), k.parsed().line(), k.parsed().type(), k.parsed().bits(),
                                k.parsed().fingerprint(), k.parsed().comment(), k.description())).toList(), source, revision))
                .flatMap(x -> KeyDirectory.credentialIds(c, changes.platforms().values().stream()
                        .map(Specs.PlatformSpec::credential).filter(Objects::nonNull).collect(Collectors.toSet())))
                .flatMap(credentialIds -> PlatformDirectory.upsert(c, changes.platforms().values().stream()
                        .map(p -> new PlatformDirectory.Write(p.name(), p.host(), p.port(), p.username(), p.authMethod(),
                                p.credential() == null ? null : credentialIds.get(p.credential()), p.hostKey(), p.labels(),
                                p.path(), p.mode(), p.description())).toList(), source, revision))
                .flatMap(x -> KeyDirectory.deleteCredentials(c, changes.deletedCredentials(), source))
                .flatMap(x -> PlatformDirectory.ids(c, changes.grants().values().stream()
                        .flatMap(g -> g.platforms().stream()).collect(Collectors.toSet())))
                .flatMap(platformIds -> KeyDirectory.upsertGrants(c, changes.grants().values().stream()
                        .map(g -> new KeyDirectory.GrantWrite(g.name(), g.user(), g.selector(), g.options(), g.expires(),
                                g.description(), g.keys(), g.platforms().stream().map(platformIds::get)
                                        .filter(Objects::nonNull).collect(Collectors.toCollection(LinkedHashSet::new))))
                        .toList(), source, revision))
                .flatMap(x -> ScheduleDirectory.deleteOwned(c, changes.deletedSchedules(), source))
                .flatMap(x -> ScheduleDirectory.upsert(c, List.copyOf(changes.schedules().values()), source, revision,
                        Instant.now()))
                .flatMap(x -> AlertDirectory.deleteOwned(c, changes.deletedAlerts(), source))
                .flatMap(x -> alerts.upsert(c, List.copyOf(changes.alerts().values()), source, revision))
                .flatMap(x -> checkOwners(c, changes));
    }

    /** Another owner took a name between the plan and the write: nothing of the plan is applied. */
    public static final class OwnerChangedException extends ConflictException {
        OwnerChangedException(String message) {
            super(message);
        }
    }

    /** Fails when a row the plan writes belongs to another owner (the upserts left it alone). */
    private static Uni<Void> checkOwners(SqlClient c, Planner.Changes changes) {
        if (changes.keys().isEmpty() && changes.credentials().isEmpty() && changes.platforms().isEmpty()
                && changes.grants().isEmpty() && changes.schedules().isEmpty() && changes.alerts().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return KeyDirectory.foreignOwners(c, changes.keys().keySet(), changes.credentials().keySet(),
                changes.grants().keySet(), changes.source())
                .flatMap(owners -> PlatformDirectory.foreignOwners(c, changes.platforms().keySet(), changes.source())
                        .flatMap(platforms -> ScheduleDirectory.foreignOwners(c, changes.schedules().keySet(), changes.source())
                                .flatMap(schedules -> AlertDirectory.foreignOwners(c, changes.alerts().keySet(), changes.source())
                                .map(alerts -> {
                            List<KeyDirectory.Owner> all = new ArrayList<>(owners);
                            platforms.forEach((name, owner) -> all.add(new KeyDirectory.Owner("platform", name, owner)));
                            schedules.forEach((name, owner) -> all.add(new KeyDirectory.Owner("schedule", name, owner)));
                            alerts.forEach((name, owner) -> all.add(new KeyDirectory.Owner("alert", name, owner)));
                            List<String> taken = all.stream()
                                    .sorted(Comparator.comparing(KeyDirectory.Owner::kind).thenComparing(KeyDirectory.Owner::name))
                                    .limit(20)
                                    .map(o -> o.kind() + " '" + o.name() + "' (now " + (Source.API.equals(o.source())
                                            ? "made through the API" : "managed by GitOps source '" + o.source() + "'") + ")")
                                    .toList();
                            if (!taken.isEmpty()) {
                                throw new OwnerChangedException("Nothing was applied: " + String.join(", ", taken)
                                        + " got another owner while the plan was being applied; the next attempt reports the clash");
                            }
                            return null;
                        }))));
    }

}

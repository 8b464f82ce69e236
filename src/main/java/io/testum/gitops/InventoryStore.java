package io.testum.gitops;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.common.ConflictException;
import io.testum.common.Source;
import io.testum.inventory.Labels;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads the inventory as the planner compares it, and applies a plan in one transaction with
 * batched statements, so ten thousand platforms go in at once and nothing is half-applied. Every
 * write is guarded by its owner: a source never overwrites a row the API or another source holds.
 */
@ApplicationScoped
public class InventoryStore {

    private final Pool pool;

    public InventoryStore(Pool pool) {
        this.pool = pool;
    }

    Uni<Snapshot> snapshot() {
        return snapshot(pool);
    }

    /** The inventory as {@code c} sees it; within one REPEATABLE READ transaction, a consistent one. */
    static Uni<Snapshot> snapshot(SqlClient client) {
        Map<String, String> fingerprints = new HashMap<>();
        Uni<Map<String, Specs.Owned<Specs.KeySpec>>> keys = client.query("SELECT name, source, source_revision, public_key, "
                + "description, fingerprint FROM ssh_keys").execute().map(rows -> {
                    Map<String, Specs.Owned<Specs.KeySpec>> map = new HashMap<>();
                    rows.forEach(r -> {
                        map.put(r.getString("name"), owned(new Specs.KeySpec(r.getString("name"), r.getString("public_key"),
                                r.getString("description")), r));
                        fingerprints.put(r.getString("fingerprint"), r.getString("name"));
                    });
                    return map;
                });
        Map<String, String> kinds = new HashMap<>();
        Uni<Map<String, Specs.Owned<Specs.CredentialSpec>>> credentials = client.query("SELECT name, source, source_revision, "
                + "kind, secret_ref, description FROM credentials").execute().map(rows -> {
                    Map<String, Specs.Owned<Specs.CredentialSpec>> map = new HashMap<>();
                    rows.forEach(r -> {
                        map.put(r.getString("name"), owned(new Specs.CredentialSpec(r.getString("name"), r.getString("secret_ref"),
                                r.getString("description")), r));
                        if (r.getString("kind") != null) {
                            kinds.put(r.getString("name"), r.getString("kind"));
                        }
                    });
                    return map;
                });
        Uni<Map<String, Specs.Owned<Specs.PlatformSpec>>> platforms = client.query("SELECT p.name, p.source, p.source_revision, "
                + "p.host, p.port, p.username, p.auth_method, c.name AS credential, p.host_key, p.labels, p.authorized_keys_path, "
                + "p.authorized_keys_mode, p.description FROM platforms p LEFT JOIN credentials c ON c.id = p.credential_id")
                .execute().map(rows -> {
                    Map<String, Specs.Owned<Specs.PlatformSpec>> map = new HashMap<>();
                    rows.forEach(r -> map.put(r.getString("name"), owned(new Specs.PlatformSpec(r.getString("name"),
                            r.getString("host"), r.getInteger("port"), r.getString("username"), r.getString("auth_method"),
                            r.getString("credential"), r.getString("host_key"), Labels.fromJson(r.getJsonObject("labels")),
                            r.getString("authorized_keys_path"), r.getString("authorized_keys_mode"),
                            r.getString("description")), r)));
                    return map;
                });
        Uni<Map<String, Specs.Owned<Specs.GrantSpec>>> grants = client.query("SELECT g.name, g.source, g.source_revision, "
                + "coalesce((SELECT array_agg(k.name ORDER BY k.name) FROM access_grant_keys gk JOIN ssh_keys k ON k.id = gk.key_id "
                + "WHERE gk.grant_id = g.id), '{}'::text[]) AS keys, "
                + "coalesce((SELECT array_agg(p.name ORDER BY p.name) FROM access_grant_platforms gp JOIN platforms p "
                + "ON p.id = gp.platform_id WHERE gp.grant_id = g.id), '{}'::text[]) AS platforms, "
                + "g.selector, g.login_user, g.options, g.expires_at, g.description FROM access_grants g").execute()
                .map(rows -> {
                    Map<String, Specs.Owned<Specs.GrantSpec>> map = new HashMap<>();
                    rows.forEach(r -> {
                        JsonObject selector = r.getJsonObject("selector");
                        var expires = r.getOffsetDateTime("expires_at");
                        map.put(r.getString("name"), owned(new Specs.GrantSpec(r.getString("name"),
                                List.of(r.getArrayOfStrings("keys")), List.of(r.getArrayOfStrings("platforms")),
                                selector == null || selector.isEmpty() ? null : Specs.sorted(Labels.fromJson(selector)),
                                r.getString("login_user"), r.getString("options"),
                                expires == null ? null : expires.toInstant(), r.getString("description")), r));
                    });
                    return map;
                });
        return Uni.combine().all().unis(keys, credentials, platforms, grants)
                .with((k, c, p, g) -> new Snapshot(k, fingerprints, c, kinds, p, g));
    }

    /**
     * Plans {@code document} for {@code source} against the inventory and, unless {@code dryRun} or the
     * plan has errors, applies it: all in one transaction under the apply lock, so the plan is made
     * from what is committed once no other apply can run.
     */
    Uni<Planner.Result> planAndApply(DesiredDocument document, String source, String revision, boolean dryRun) {
        return pool.withTransaction(c -> lock(c).flatMap(x -> snapshot(c)).flatMap(db -> {
            Planner.Result planned = Planner.plan(document, db, source);
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
    static Uni<Void> apply(SqlClient c, Planner.Changes changes, String revision) {
        return lock(c).flatMap(x -> write(c, changes, revision));
    }

    /** Serializes applies of every source and restore; held until the transaction ends. */
    private static Uni<Void> lock(SqlClient c) {
        return c.query("SELECT pg_advisory_xact_lock(hashtext('testum.gitops.apply'))").execute().replaceWithVoid();
    }

    private static Uni<Void> write(SqlClient c, Planner.Changes changes, String revision) {
        return step1RemoveGrants(c, changes)
                .flatMap(x -> deleteBy(c, "platforms", changes.deletedPlatforms(), changes.source()))
                .flatMap(x -> deleteBy(c, "ssh_keys", changes.deletedKeys(), changes.source()))
                .flatMap(x -> upsertCredentials(c, changes, revision))
                .flatMap(x -> upsertKeys(c, changes, revision))
                .flatMap(x -> upsertPlatforms(c, changes, revision))
                .flatMap(x -> deleteBy(c, "credentials", changes.deletedCredentials(), changes.source()))
                .flatMap(x -> upsertGrants(c, changes, revision))
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
                && changes.grants().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return c.preparedQuery("SELECT kind, name, source FROM ("
                + "SELECT 'ssh_key' AS kind, name, source FROM ssh_keys WHERE name = ANY($1) UNION ALL "
                + "SELECT 'credential', name, source FROM credentials WHERE name = ANY($2) UNION ALL "
                + "SELECT 'platform', name, source FROM platforms WHERE name = ANY($3) UNION ALL "
                + "SELECT 'access grant', name, source FROM access_grants WHERE name = ANY($4)) o "
                + "WHERE source <> $5 ORDER BY kind, name LIMIT 20")
                .execute(Tuple.from(Arrays.asList(changes.keys().keySet().toArray(String[]::new),
                        changes.credentials().keySet().toArray(String[]::new),
                        changes.platforms().keySet().toArray(String[]::new),
                        changes.grants().keySet().toArray(String[]::new), changes.source())))
                .map(rows -> {
                    List<String> taken = new ArrayList<>();
                    rows.forEach(r -> taken.add(r.getString("kind") + " '" + r.getString("name") + "' (now "
                            + (Source.API.equals(r.getString("source")) ? "made through the API"
                                    : "managed by GitOps source '" + r.getString("source") + "'") + ")"));
                    if (!taken.isEmpty()) {
                        throw new OwnerChangedException("Nothing was applied: " + String.join(", ", taken)
                                + " got another owner while the plan was being applied; the next attempt reports the clash");
                    }
                    return null;
                });
    }

    private static Uni<Void> step1RemoveGrants(SqlClient c, Planner.Changes changes) {
        String[] updated = changes.grants().keySet().toArray(String[]::new);
        return deleteBy(c, "access_grants", changes.deletedGrants(), changes.source())
                .flatMap(x -> updated.length == 0 ? Uni.createFrom().voidItem() : c.preparedQuery(
                        "DELETE FROM access_grant_keys WHERE grant_id IN (SELECT id FROM access_grants WHERE name = ANY($1) "
                        + "AND source = $2)").execute(Tuple.of(updated, changes.source())).flatMap(y -> c.preparedQuery(
                                "DELETE FROM access_grant_platforms WHERE grant_id IN "
                                        + "(SELECT id FROM access_grants WHERE name = ANY($1) AND source = $2)")
                                .execute(Tuple.of(updated, changes.source()))).replaceWithVoid());
    }

    private static Uni<Void> deleteBy(SqlClient c, String table, Set<String> names, String source) {
        if (names.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return c.preparedQuery("DELETE FROM " + table + " WHERE name = ANY($1) AND source = $2")
                .execute(Tuple.of(names.toArray(String[]::new), source)).replaceWithVoid();
    }

    private static Uni<Void> upsertCredentials(SqlClient c, Planner.Changes changes, String revision) {
        List<Tuple> rows = new ArrayList<>();
        changes.credentials().values().forEach(s -> rows.add(Tuple.from(Arrays.asList(s.name(), s.secretRef(), s.description(),
                changes.source(), revision))));
        return batch(c, "INSERT INTO credentials (name, secret_ref, description, source, source_revision) "
                + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO UPDATE SET secret_ref = EXCLUDED.secret_ref, "
                + "description = EXCLUDED.description, source_revision = EXCLUDED.source_revision, updated_at = now(), "
                + "version = credentials.version + 1 WHERE credentials.source = EXCLUDED.source", rows);
    }

    private static Uni<Void> upsertKeys(SqlClient c, Planner.Changes changes, String revision) {
        List<Tuple> rows = new ArrayList<>();
        changes.keys().values().forEach(k -> rows.add(Tuple.from(Arrays.asList(k.name(), k.parsed().line(), k.parsed().type(),
                k.parsed().bits(), k.parsed().fingerprint(), k.parsed().comment(), k.description(), changes.source(), revision))));
        return batch(c, "INSERT INTO ssh_keys (name, public_key, key_type, bits, fingerprint, comment, description, source, "
                + "source_revision) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (name) DO UPDATE SET "
                + "public_key = EXCLUDED.public_key, key_type = EXCLUDED.key_type, bits = EXCLUDED.bits, "
                + "fingerprint = EXCLUDED.fingerprint, comment = EXCLUDED.comment, description = EXCLUDED.description, "
                + "source_revision = EXCLUDED.source_revision, updated_at = now(), version = ssh_keys.version + 1 "
                + "WHERE ssh_keys.source = EXCLUDED.source", rows);
    }

    private static Uni<Void> upsertPlatforms(SqlClient c, Planner.Changes changes, String revision) {
        List<Tuple> rows = new ArrayList<>();
        changes.platforms().values().forEach(p -> rows.add(Tuple.from(Arrays.asList(p.name(), p.host(), p.port(), p.username(),
                p.authMethod(), p.credential(), p.hostKey(), new JsonObject(new HashMap<>(p.labels())), p.path(), p.mode(),
                p.description(), changes.source(), revision))));
        return batch(c, "INSERT INTO platforms (name, host, port, username, auth_method, credential_id, host_key, labels, "
                + "authorized_keys_path, authorized_keys_mode, description, source, source_revision) "
                + "VALUES ($1, $2, $3, $4, $5, (SELECT id FROM credentials WHERE name = $6), $7, $8, $9, $10, $11, $12, $13) "
                + "ON CONFLICT (name) DO UPDATE SET host = EXCLUDED.host, port = EXCLUDED.port, username = EXCLUDED.username, "
                + "auth_method = EXCLUDED.auth_method, credential_id = EXCLUDED.credential_id, host_key = EXCLUDED.host_key, "
                + "labels = EXCLUDED.labels, authorized_keys_path = EXCLUDED.authorized_keys_path, "
                + "authorized_keys_mode = EXCLUDED.authorized_keys_mode, description = EXCLUDED.description, "
                + "source_revision = EXCLUDED.source_revision, updated_at = now(), version = platforms.version + 1 "
                + "WHERE platforms.source = EXCLUDED.source", rows);
    }

    private static Uni<Void> upsertGrants(SqlClient c, Planner.Changes changes, String revision) {
        if (changes.grants().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>();
        List<Tuple> keys = new ArrayList<>();
        List<Tuple> platforms = new ArrayList<>();
        changes.grants().values().forEach(g -> {
            rows.add(Tuple.from(Arrays.asList(g.name(), g.user(),
                    g.selector() == null ? null : new JsonObject(new HashMap<>(g.selector())), g.options(),
                    g.expires() == null ? null : g.expires().atOffset(ZoneOffset.UTC), g.description(), changes.source(),
                    revision)));
            keys.add(Tuple.of(g.name(), g.keys().toArray(String[]::new), changes.source()));
            platforms.add(Tuple.of(g.name(), g.platforms().toArray(String[]::new), changes.source()));
        });
        return batch(c, "INSERT INTO access_grants (name, login_user, selector, options, expires_at, description, source, "
                + "source_revision) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (name) DO UPDATE SET "
                + "login_user = EXCLUDED.login_user, selector = EXCLUDED.selector, options = EXCLUDED.options, "
                + "expires_at = EXCLUDED.expires_at, description = EXCLUDED.description, "
                + "source_revision = EXCLUDED.source_revision, updated_at = now(), version = access_grants.version + 1 "
                + "WHERE access_grants.source = EXCLUDED.source", rows)
                .flatMap(x -> batch(c, "INSERT INTO access_grant_keys (grant_id, key_id) SELECT g.id, k.id FROM access_grants g "
                        + "JOIN ssh_keys k ON k.name = ANY($2) WHERE g.name = $1 AND g.source = $3", keys))
                .flatMap(x -> batch(c, "INSERT INTO access_grant_platforms (grant_id, platform_id) SELECT g.id, p.id "
                        + "FROM access_grants g JOIN platforms p ON p.name = ANY($2) WHERE g.name = $1 AND g.source = $3",
                        platforms));
    }

    private static Uni<Void> batch(SqlClient c, String sql, List<Tuple> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return c.preparedQuery(sql).executeBatch(rows).replaceWithVoid();
    }

    private static <S> Specs.Owned<S> owned(S spec, Row r) {
        return new Specs.Owned<>(spec, r.getString("source"), r.getString("source_revision"));
    }

}

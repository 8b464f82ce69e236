package io.testum.keys;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.common.Rows;
import io.testum.common.Source;
import io.testum.inventory.Labels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Keys, credentials and access grants as other features read and change them, in SQL. Methods
 * that take a {@link SqlClient} run in the caller's transaction, so a change that spans several
 * owners (deleting a GitOps source) is still one transaction.
 */
@ApplicationScoped
public class KeyDirectory {

    private final Pool pool;

    KeyDirectory(Pool pool) {
        this.pool = pool;
    }

    /** A key as a grant names it: its name and OpenSSH public line. */
    public record GrantedKey(String name, String publicKey) {
    }

    /**
     * An access grant in force: the platforms it names (by id) or selects (by labels; null: none),
     * the login account, the options and its keys.
     */
    public record Grant(String name, Set<Long> platformIds, Map<String, String> selector, String account, String options,
            List<GrantedKey> keys) {
    }

    /** The grants that have not expired. */
    public Uni<List<Grant>> grantsInForce() {
        return pool.query("SELECT g.name, g.selector, g.login_user, g.options, "
                + "coalesce((SELECT json_agg(json_build_object('name', k.name, 'key', k.public_key)) FROM access_grant_keys gk "
                + "JOIN ssh_keys k ON k.id = gk.key_id WHERE gk.grant_id = g.id), '[]'::json) AS keys, "
                + "coalesce((SELECT array_agg(gp.platform_id) FROM access_grant_platforms gp WHERE gp.grant_id = g.id), "
                + "'{}'::bigint[]) AS platform_ids "
                + "FROM access_grants g WHERE g.expires_at IS NULL OR g.expires_at > now()").execute()
                .map(rows -> {
                    List<Grant> list = new ArrayList<>();
                    rows.forEach(r -> {
                        List<GrantedKey> keys = new ArrayList<>();
                        Object rawKeys = r.getValue("keys");
                        JsonArray array = rawKeys instanceof JsonArray a ? a : new JsonArray(String.valueOf(rawKeys));
                        array.forEach(k -> {
                            JsonObject key = (JsonObject) k;
                            keys.add(new GrantedKey(key.getString("name"), key.getString("key")));
                        });
                        Set<Long> ids = new HashSet<>();
                        Long[] platformIds = r.getArrayOfLongs("platform_ids");
                        if (platformIds != null) {
                            ids.addAll(List.of(platformIds));
                        }
                        JsonObject json = r.getJsonObject("selector");
                        Map<String, String> selector = json == null ? null : Labels.fromJson(json);
                        list.add(new Grant(r.getString("name"), ids, selector, r.getString("login_user"),
                                r.getString("options"), keys));
                    });
                    return list;
                });
    }

    /** The names of the grants whose expiry time lies in (from, to], sorted; empty when none. */
    public Uni<List<String>> grantsExpiredBetween(Instant from, Instant to) {
        return pool.preparedQuery("SELECT name FROM access_grants WHERE expires_at > $1 AND expires_at <= $2 ORDER BY name")
                .execute(Tuple.of(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    List<String> names = new ArrayList<>();
                    rows.forEach(r -> names.add(r.getString(0)));
                    return names;
                });
    }

    /** The name of every stored public key, by its fingerprint ({@code SHA256:...}). */
    public Uni<Map<String, String>> keyNamesByFingerprint() {
        return pool.query("SELECT fingerprint, name FROM ssh_keys").execute()
                .map(rows -> Rows.map(rows, r -> r.getString("fingerprint"), r -> r.getString("name")));
    }

    /** The public line of each key credential whose secret is stored here, by credential name. */
    public Uni<Map<String, String>> credentialPublicKeys() {
        return pool.query("SELECT name, public_key FROM credentials WHERE kind = 'key'").execute()
                .map(rows -> Rows.map(rows, r -> r.getString("name"), r -> r.getString("public_key")));
    }

    /** The Kubernetes Secret of each credential whose secret lives there, by credential name. */
    public Uni<Map<String, String>> credentialSecretRefs() {
        return pool.query("SELECT name, secret_ref FROM credentials WHERE secret IS NULL AND secret_ref IS NOT NULL").execute()
                .map(rows -> Rows.map(rows, r -> r.getString("name"), r -> r.getString("secret_ref")));
    }

    /** Every credential's name, by id. */
    public Uni<Map<Long, String>> credentialNames() {
        return pool.query("SELECT id, name FROM credentials").execute()
                .map(rows -> Rows.map(rows, r -> r.getLong("id"), r -> r.getString("name")));
    }

    /** The name of the credential with this id; null when {@code id} is null or names none. */
    public Uni<String> credentialName(Long id) {
        if (id == null) {
            return Uni.createFrom().nullItem();
        }
        return pool.preparedQuery("SELECT name FROM credentials WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString("name") : null);
    }

    /** Within {@code c}: the names of the credentials with these ids, by id. */
    public static Uni<Map<Long, String>> credentialNames(SqlClient c, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return c.preparedQuery("SELECT id, name FROM credentials WHERE id = ANY($1)")
                .execute(Tuple.of((Object) ids.toArray(Long[]::new)))
                .map(rows -> Rows.map(rows, r -> r.getLong("id"), r -> r.getString("name")));
    }

    /** Within {@code c}: the names of the access grants that name the platform {@code platformId} explicitly, by name. */
    public static Uni<List<String>> grantsNaming(SqlClient c, long platformId) {
        return c.preparedQuery("SELECT g.name FROM access_grants g JOIN access_grant_platforms gp ON gp.grant_id = g.id "
                + "WHERE gp.platform_id = $1 ORDER BY g.name").execute(Tuple.of(platformId))
                .map(rows -> Rows.list(rows, r -> r.getString(0)));
    }

    /** Whether a credential named {@code name} exists. */
    public Uni<Boolean> credentialExists(String name) {
        return pool.preparedQuery("SELECT 1 FROM credentials WHERE name = $1").execute(Tuple.of(name))
                .map(rows -> rows.iterator().hasNext());
    }

    /** Within {@code c}: the keys, credentials and grants that {@code source} manages become API-managed. */
    public Uni<Void> handOverToApi(SqlClient c, String source) {
        return c.preparedQuery("UPDATE ssh_keys SET source = $2 WHERE source = $1").execute(Tuple.of(source, Source.API))
                .flatMap(x -> c.preparedQuery("UPDATE credentials SET source = $2 WHERE source = $1")
                        .execute(Tuple.of(source, Source.API)))
                .flatMap(x -> c.preparedQuery("UPDATE access_grants SET source = $2 WHERE source = $1")
                        .execute(Tuple.of(source, Source.API)))
                .replaceWithVoid();
    }

    // Within the caller's transaction: what the GitOps applier and a restore read and write.

    /** A key as stored, with its owner. */
    public record StoredKey(String name, String source, String revision, String publicKey, String description,
            String fingerprint) {
    }

    /** A credential as stored, with its owner; {@code kind}: null for a placeholder without a secret yet. */
    public record StoredCredential(long id, String name, String source, String revision, String kind, String secretRef,
            String description) {
    }

    /** A grant as stored, with its owner; {@code keys} sorted by name; {@code selector}: null when none. */
    public record StoredGrant(String name, String source, String revision, List<String> keys, List<Long> platformIds,
            Map<String, String> selector, String user, String options, Instant expires, String description) {
    }

    /** A key to write, parsed. */
    public record KeyWrite(String name, String line, String type, Integer bits, String fingerprint, String comment,
            String description) {
    }

    /** A credential to write: a placeholder, or one whose secret lives in {@code secretRef}. */
    public record CredentialWrite(String name, String secretRef, String description) {
    }

    /** A grant to write, with the names of its keys and the ids of its platforms. */
    public record GrantWrite(String name, String user, Map<String, String> selector, String options, Instant expires,
            String description, List<String> keys, Set<Long> platformIds) {
    }

    /** An object of {@code kind} that another owner holds. */
    public record Owner(String kind, String name, String source) {
    }

    public static Uni<List<StoredKey>> storedKeys(SqlClient c) {
        return c.query("SELECT name, source, source_revision, public_key, description, fingerprint FROM ssh_keys").execute()
                .map(rows -> {
                    List<StoredKey> list = new ArrayList<>();
                    rows.forEach(r -> list.add(new StoredKey(r.getString("name"), r.getString("source"),
                            r.getString("source_revision"), r.getString("public_key"), r.getString("description"),
                            r.getString("fingerprint"))));
                    return list;
                });
    }

    public static Uni<List<StoredCredential>> storedCredentials(SqlClient c) {
        return c.query("SELECT id, name, source, source_revision, kind, secret_ref, description FROM credentials").execute()
                .map(rows -> {
                    List<StoredCredential> list = new ArrayList<>();
                    rows.forEach(r -> list.add(new StoredCredential(r.getLong("id"), r.getString("name"), r.getString("source"),
                            r.getString("source_revision"), r.getString("kind"), r.getString("secret_ref"),
                            r.getString("description"))));
                    return list;
                });
    }

    public static Uni<List<StoredGrant>> storedGrants(SqlClient c) {
        return c.query("SELECT g.name, g.source, g.source_revision, "
                + "coalesce((SELECT array_agg(k.name ORDER BY k.name) FROM access_grant_keys gk JOIN ssh_keys k ON k.id = gk.key_id "
                + "WHERE gk.grant_id = g.id), '{}'::text[]) AS keys, "
                + "coalesce((SELECT array_agg(gp.platform_id) FROM access_grant_platforms gp WHERE gp.grant_id = g.id), "
                + "'{}'::bigint[]) AS platform_ids, "
                + "g.selector, g.login_user, g.options, g.expires_at, g.description FROM access_grants g").execute()
                .map(rows -> {
                    List<StoredGrant> list = new ArrayList<>();
                    rows.forEach(r -> {
                        JsonObject selector = r.getJsonObject("selector");
                        var expires = r.getOffsetDateTime("expires_at");
                        list.add(new StoredGrant(r.getString("name"), r.getString("source"), r.getString("source_revision"),
                                List.of(r.getArrayOfStrings("keys")), List.of(r.getArrayOfLongs("platform_ids")),
                                selector == null || selector.isEmpty() ? null : Labels.fromJson(selector),
                                r.getString("login_user"), r.getString("options"),
                                expires == null ? null : expires.toInstant(), r.getString("description")));
                    });
                    return list;
                });
    }

    /** Deletes the grants {@code deleted} and the key and platform links of the grants {@code updated}, of {@code source}. */
    public static Uni<Void> removeGrants(SqlClient c, Set<String> deleted, Set<String> updated, String source) {
        String[] names = updated.toArray(String[]::new);
        return deleteOwned(c, "access_grants", deleted, source)
                .flatMap(x -> names.length == 0 ? Uni.createFrom().voidItem() : c.preparedQuery(
                        "DELETE FROM access_grant_keys WHERE grant_id IN (SELECT id FROM access_grants WHERE name = ANY($1) "
                        + "AND source = $2)").execute(Tuple.of(names, source)).flatMap(y -> c.preparedQuery(
                                "DELETE FROM access_grant_platforms WHERE grant_id IN "
                                        + "(SELECT id FROM access_grants WHERE name = ANY($1) AND source = $2)")
                                .execute(Tuple.of(names, source))).replaceWithVoid());
    }

    public static Uni<Void> deleteKeys(SqlClient c, Set<String> names, String source) {
        return deleteOwned(c, "ssh_keys", names, source);
    }

    public static Uni<Void> deleteCredentials(SqlClient c, Set<String> names, String source) {
        return deleteOwned(c, "credentials", names, source);
    }

    private static Uni<Void> deleteOwned(SqlClient c, String table, Set<String> names, String source) {
        if (names.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return c.preparedQuery("DELETE FROM " + table + " WHERE name = ANY($1) AND source = $2")
                .execute(Tuple.of(names.toArray(String[]::new), source)).replaceWithVoid();
    }

    public static Uni<Void> upsertCredentials(SqlClient c, List<CredentialWrite> credentials, String source, String revision) {
        List<Tuple> rows = new ArrayList<>();
        credentials.forEach(s -> rows.add(Tuple.from(Arrays.asList(s.name(), s.secretRef(), s.description(), source, revision))));
        return batch(c, "INSERT INTO credentials (name, secret_ref, description, source, source_revision) "
                + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO UPDATE SET secret_ref = EXCLUDED.secret_ref, "
                + "description = EXCLUDED.description, source_revision = EXCLUDED.source_revision, updated_at = now(), "
                + "version = credentials.version + 1 WHERE credentials.source = EXCLUDED.source", rows);
    }

    public static Uni<Void> upsertKeys(SqlClient c, List<KeyWrite> keys, String source, String revision) {
        List<Tuple> rows = new ArrayList<>();
        keys.forEach(k -> rows.add(Tuple.from(Arrays.asList(k.name(), k.line(), k.type(), k.bits(), k.fingerprint(), k.comment(),
                k.description(), source, revision))));
        return batch(c, "INSERT INTO ssh_keys (name, public_key, key_type, bits, fingerprint, comment, description, source, "
                + "source_revision) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (name) DO UPDATE SET "
                + "public_key = EXCLUDED.public_key, key_type = EXCLUDED.key_type, bits = EXCLUDED.bits, "
                + "fingerprint = EXCLUDED.fingerprint, comment = EXCLUDED.comment, description = EXCLUDED.description, "
                + "source_revision = EXCLUDED.source_revision, updated_at = now(), version = ssh_keys.version + 1 "
                + "WHERE ssh_keys.source = EXCLUDED.source", rows);
    }

    public static Uni<Void> upsertGrants(SqlClient c, List<GrantWrite> grants, String source, String revision) {
        if (grants.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>();
        List<Tuple> keys = new ArrayList<>();
        List<Tuple> platforms = new ArrayList<>();
        grants.forEach(g -> {
            rows.add(Tuple.from(Arrays.asList(g.name(), g.user(),
                    g.selector() == null ? null : new JsonObject(new HashMap<>(g.selector())), g.options(),
                    g.expires() == null ? null : g.expires().atOffset(ZoneOffset.UTC), g.description(), source, revision)));
            keys.add(Tuple.of(g.name(), g.keys().toArray(String[]::new), source));
            platforms.add(Tuple.of(g.name(), g.platformIds().toArray(Long[]::new), source));
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
                        + "FROM access_grants g CROSS JOIN unnest($2::bigint[]) AS p(id) WHERE g.name = $1 AND g.source = $3",
                        platforms));
    }

    /** The ids of the credentials named {@code names} that exist, by name. */
    public static Uni<Map<String, Long>> credentialIds(SqlClient c, Set<String> names) {
        if (names.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return c.preparedQuery("SELECT id, name FROM credentials WHERE name = ANY($1)")
                .execute(Tuple.of((Object) names.toArray(String[]::new)))
                .map(rows -> Rows.map(rows, r -> r.getString("name"), r -> r.getLong("id")));
    }

    /** Of the keys, credentials and grants named, those another owner than {@code source} holds, by kind and name, at most 20. */
    public static Uni<List<Owner>> foreignOwners(SqlClient c, Set<String> keys, Set<String> credentials, Set<String> grants,
            String source) {
        return c.preparedQuery("SELECT kind, name, source FROM ("
                + "SELECT 'ssh_key' AS kind, name, source FROM ssh_keys WHERE name = ANY($1) UNION ALL "
                + "SELECT 'credential', name, source FROM credentials WHERE name = ANY($2) UNION ALL "
                + "SELECT 'access grant', name, source FROM access_grants WHERE name = ANY($3)) o "
                + "WHERE source <> $4 ORDER BY kind, name LIMIT 20")
                .execute(Tuple.from(Arrays.asList(keys.toArray(String[]::new), credentials.toArray(String[]::new),
                        grants.toArray(String[]::new), source)))
                .map(rows -> {
                    List<Owner> owners = new ArrayList<>();
                    rows.forEach(r -> owners.add(new Owner(r.getString("kind"), r.getString("name"), r.getString("source"))));
                    return owners;
                });
    }

    private static Uni<Void> batch(SqlClient c, String sql, List<Tuple> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return c.preparedQuery(sql).executeBatch(rows).replaceWithVoid();
    }
}

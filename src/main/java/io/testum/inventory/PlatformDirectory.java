package io.testum.inventory;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.common.Source;
import io.testum.common.Rows;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The platforms as other features read them, in SQL: addresses, names and labels, counts, and the
 * reachability columns, which the reachability check ({@code stats}) records through this class. Recording a check changes neither the
 * platform's version nor its {@code updated_at}: it is an observation, not an edit.
 */
@ApplicationScoped
public class PlatformDirectory {

    private final Pool pool;

    PlatformDirectory(Pool pool) {
        this.pool = pool;
    }

    /** Where a platform's SSH server should answer. */
    public record Target(long id, String name, String host, int port) {
    }

    /** One platform's check, to record. {@code latencyMs} and {@code error}: null when not measured or none. */
    public record Check(Target target, boolean reachable, Integer latencyMs, String error, Instant checkedAt) {
    }

    /**
     * What a login to a platform needs of it. {@code credentialId}: the credential's id, which
     * {@code keys} resolves; null when none.
     */
    public record Login(long id, String name, String host, int port, String username, String authMethod, Long credentialId,
            Map<String, String> labels, String authorizedKeysPath, boolean exclusive, String declaredHostKey) {
    }

    private static final String LOGIN_COLUMNS = "id, name, host, port, username, auth_method, credential_id, labels, "
            + "authorized_keys_path, authorized_keys_mode, host_key";

    /** Every platform's {@link Login}. */
    public Uni<List<Login>> logins() {
        return pool.query("SELECT " + LOGIN_COLUMNS + " FROM platforms").execute()
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(PlatformDirectory::login).toList());
    }

    /** The {@link Login} of the platform with this id; null when there is none. */
    public Uni<Login> login(long id) {
        return pool.preparedQuery("SELECT " + LOGIN_COLUMNS + " FROM platforms WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.iterator().hasNext() ? login(rows.iterator().next()) : null);
    }

    /** The source (a GitOps source's name, or {@code api}) that manages platform {@code id}; null when there is none. */
    public Uni<String> source(long id) {
        return pool.preparedQuery("SELECT source FROM platforms WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString("source") : null);
    }

    /** The {@link Login} of the platform named {@code name}; null when there is none. */
    public Uni<Login> login(String name) {
        return pool.preparedQuery("SELECT " + LOGIN_COLUMNS + " FROM platforms WHERE name = $1").execute(Tuple.of(name))
                .map(rows -> rows.iterator().hasNext() ? login(rows.iterator().next()) : null);
    }

    private static Login login(Row r) {
        return new Login(r.getLong("id"), r.getString("name"), r.getString("host"), r.getInteger("port"), r.getString("username"),
                r.getString("auth_method"), r.getLong("credential_id"), Labels.fromJson(r.getJsonObject("labels")),
                r.getString("authorized_keys_path"), "exclusive".equals(r.getString("authorized_keys_mode")),
                r.getString("host_key"));
    }

    /** A platform as a selection by labels sees it. */
    public record Labelled(String name, Map<String, String> labels) {
    }

    /** Every platform's name and labels, by name. */
    public Uni<List<Labelled>> labelled() {
        return pool.query("SELECT name, labels FROM platforms ORDER BY name").execute()
                .map(rows -> StreamSupport.stream(rows.spliterator(), false)
                        .map(r -> new Labelled(r.getString("name"), Labels.fromJson(r.getJsonObject("labels"))))
                        .toList());
    }

    /** Every platform's address, by name. */
    public Uni<List<Target>> targets() {
        return pool.query("SELECT id, name, host, port FROM platforms ORDER BY name").execute()
                .map(rows -> StreamSupport.stream(rows.spliterator(), false)
                        .map(r -> new Target(r.getLong("id"), r.getString("name"), r.getString("host"), r.getInteger("port")))
                        .toList());
    }

    /**
     * Stores the checks in one batch. A platform whose host or port changed while it was checked
     * keeps its row as it is: the check was about the old address.
     */
    public Uni<Void> record(List<Check> checks) {
        if (checks.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = checks.stream().map(c -> Tuple.from(Arrays.asList(c.target().id(), c.target().host(),
                c.target().port(), (c.reachable() ? Reachability.REACHABLE : Reachability.UNREACHABLE).wire(), c.latencyMs(),
                c.error(), c.checkedAt().atOffset(ZoneOffset.UTC)))).toList();
        return pool.preparedQuery("UPDATE platforms SET reachability = $4, latency_ms = $5, reachability_error = $6, "
                + "reachability_checked_at = $7, last_seen_at = CASE WHEN $4 = 'reachable' THEN $7 ELSE last_seen_at END "
                + "WHERE id = $1 AND host = $2 AND port = $3").executeBatch(rows).replaceWithVoid();
    }

    /** Reachability ({@code reachable}, {@code unreachable}, {@code unknown}) → how many platforms; absent when none. */
    public Uni<Map<String, Long>> countByReachability() {
        return pool.query("SELECT reachability, count(*) FROM platforms GROUP BY 1").execute()
                .map(rows -> Rows.map(rows, r -> r.getString(0), r -> r.getLong(1)));
    }

    /** Within {@code c}: the names of the platforms that log in with the credential {@code credentialId}, by name. */
    public static Uni<List<String>> namesUsingCredential(SqlClient c, long credentialId) {
        return namesUsingCredentials(c, List.of(credentialId)).map(names -> names.getOrDefault(credentialId, List.of()));
    }

    /** Within {@code c}: credential id → the names of the platforms that log in with it, by name; absent when none. */
    public static Uni<Map<Long, List<String>>> namesUsingCredentials(SqlClient c, Collection<Long> credentialIds) {
        if (credentialIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return c.preparedQuery("SELECT credential_id, name FROM platforms WHERE credential_id = ANY($1) ORDER BY name")
                .execute(Tuple.of((Object) credentialIds.toArray(Long[]::new)))
                .map(rows -> Rows.group(rows, r -> r.getLong("credential_id"), r -> r.getString("name")));
    }

    /** Within {@code c}: the platforms that {@code source} manages become API-managed. */
    public Uni<Void> handOverToApi(SqlClient c, String source) {
        return c.preparedQuery("UPDATE platforms SET source = $2 WHERE source = $1").execute(Tuple.of(source, Source.API))
                .replaceWithVoid();
    }

    // Within the caller's transaction: what the GitOps applier and a restore read and write.

    /** A platform as stored, with its owner ({@code source}, {@code revision}) and its credential's id. */
    public record Stored(long id, String name, String source, String revision, String host, int port, String username,
            String authMethod, Long credentialId, String hostKey, Map<String, String> labels, String path, String mode,
            String description) {
    }

    /** A platform to write; {@code credentialId}: null for none. */
    public record Write(String name, String host, int port, String username, String authMethod, Long credentialId,
            String hostKey, Map<String, String> labels, String path, String mode, String description) {
    }

    /** Every platform as {@code c} sees it. */
    public static Uni<List<Stored>> stored(SqlClient c) {
        return c.query("SELECT id, name, source, source_revision, host, port, username, auth_method, credential_id, host_key, "
                + "labels, authorized_keys_path, authorized_keys_mode, description FROM platforms").execute()
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(r -> new Stored(r.getLong("id"),
                        r.getString("name"), r.getString("source"), r.getString("source_revision"), r.getString("host"),
                        r.getInteger("port"), r.getString("username"), r.getString("auth_method"), r.getLong("credential_id"),
                        r.getString("host_key"), Labels.fromJson(r.getJsonObject("labels")), r.getString("authorized_keys_path"),
                        r.getString("authorized_keys_mode"), r.getString("description"))).toList());
    }

    /**
     * Inserts or updates {@code rows} as {@code source} at {@code revision}, in one batch. A row that
     * another owner holds is left alone (see {@link #foreignOwners}).
     */
    public static Uni<Void> upsert(SqlClient c, List<Write> rows, String source, String revision) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> tuples = new ArrayList<>();
        rows.forEach(p -> tuples.add(Tuple.from(Arrays.asList(p.name(), p.host(), p.port(), p.username(), p.authMethod(),
                p.credentialId(), p.hostKey(), new JsonObject(new HashMap<>(p.labels())), p.path(), p.mode(), p.description(),
                source, revision))));
        return c.preparedQuery("INSERT INTO platforms (name, host, port, username, auth_method, credential_id, host_key, labels, "
                + "authorized_keys_path, authorized_keys_mode, description, source, source_revision) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
                + "ON CONFLICT (name) DO UPDATE SET host = EXCLUDED.host, port = EXCLUDED.port, username = EXCLUDED.username, "
                + "auth_method = EXCLUDED.auth_method, credential_id = EXCLUDED.credential_id, host_key = EXCLUDED.host_key, "
                + "labels = EXCLUDED.labels, authorized_keys_path = EXCLUDED.authorized_keys_path, "
                + "authorized_keys_mode = EXCLUDED.authorized_keys_mode, description = EXCLUDED.description, "
                + "source_revision = EXCLUDED.source_revision, updated_at = now(), version = platforms.version + 1 "
                + "WHERE platforms.source = EXCLUDED.source").executeBatch(tuples).replaceWithVoid();
    }

    /** Deletes the platforms named {@code names} that {@code source} owns. */
    public static Uni<Void> deleteOwned(SqlClient c, Set<String> names, String source) {
        if (names.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return c.preparedQuery("DELETE FROM platforms WHERE name = ANY($1) AND source = $2")
                .execute(Tuple.of(names.toArray(String[]::new), source)).replaceWithVoid();
    }

    /** Of the platforms named {@code names}, those another owner than {@code source} holds: name to owner, by name, at most 20. */
    public static Uni<Map<String, String>> foreignOwners(SqlClient c, Set<String> names, String source) {
        if (names.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return c.preparedQuery("SELECT name, source FROM platforms WHERE name = ANY($1) AND source <> $2 ORDER BY name LIMIT 20")
                .execute(Tuple.of(names.toArray(String[]::new), source)).map(rows -> {
                    Map<String, String> owners = new LinkedHashMap<>();
                    rows.forEach(r -> owners.put(r.getString("name"), r.getString("source")));
                    return owners;
                });
    }

    /** The ids of the platforms named {@code names} that exist, by name. */
    public static Uni<Map<String, Long>> ids(SqlClient c, Set<String> names) {
        if (names.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return c.preparedQuery("SELECT id, name FROM platforms WHERE name = ANY($1)").execute(Tuple.of((Object) names.toArray(String[]::new)))
                .map(rows -> Rows.map(rows, r -> r.getString("name"), r -> r.getLong("id")));
    }
}

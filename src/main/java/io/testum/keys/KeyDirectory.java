package io.testum.keys;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
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

    /** Whether a grant's expiry time lies in (from, to]. */
    public Uni<Boolean> grantExpiredBetween(Instant from, Instant to) {
        return pool.preparedQuery("SELECT 1 FROM access_grants WHERE expires_at > $1 AND expires_at <= $2 LIMIT 1")
                .execute(Tuple.of(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.iterator().hasNext());
    }

    /** The public line of each key credential whose secret is stored here, by credential name. */
    public Uni<Map<String, String>> credentialPublicKeys() {
        return pool.query("SELECT name, public_key FROM credentials WHERE kind = 'key'").execute()
                .map(rows -> {
                    Map<String, String> map = new HashMap<>();
                    rows.forEach(r -> map.put(r.getString("name"), r.getString("public_key")));
                    return map;
                });
    }

    /** The Kubernetes Secret of each credential whose secret lives there, by credential name. */
    public Uni<Map<String, String>> credentialSecretRefs() {
        return pool.query("SELECT name, secret_ref FROM credentials WHERE secret IS NULL AND secret_ref IS NOT NULL").execute()
                .map(rows -> {
                    Map<String, String> map = new HashMap<>();
                    rows.forEach(r -> map.put(r.getString("name"), r.getString("secret_ref")));
                    return map;
                });
    }

    /** Every credential's name, by id. */
    public Uni<Map<Long, String>> credentialNames() {
        return pool.query("SELECT id, name FROM credentials").execute().map(rows -> {
            Map<Long, String> map = new HashMap<>();
            rows.forEach(r -> map.put(r.getLong("id"), r.getString("name")));
            return map;
        });
    }

    /** The name of the credential with this id; null when {@code id} is null or names none. */
    public Uni<String> credentialName(Long id) {
        if (id == null) {
            return Uni.createFrom().nullItem();
        }
        return pool.preparedQuery("SELECT name FROM credentials WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString("name") : null);
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
}

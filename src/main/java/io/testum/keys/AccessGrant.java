package io.testum.keys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.smallrye.mutiny.Uni;
import io.testum.common.InventoryEntity;
import io.testum.common.Timestamps;
import io.testum.inventory.Labels;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Who may log in where: these keys, on the named platforms and those whose labels match the
 * selector, as {@code loginUser} (each platform's username when null), with these options, until
 * {@code expiresAt}. A row of {@code access_grants}, with its keys in {@code access_grant_keys}
 * and its platforms in {@code access_grant_platforms}.
 */
class AccessGrant extends InventoryEntity {

    static final String TABLE = "access_grants";
    /** The grant's columns and its members, ids and names in name order, over {@code access_grants g}. */
    static final String COLUMNS = InventoryEntity.COLUMNS + ", login_user, selector, options, expires_at, "
            + "ARRAY(SELECT k.id FROM access_grant_keys gk JOIN ssh_keys k ON k.id = gk.key_id WHERE gk.grant_id = g.id "
            + "ORDER BY k.name) AS key_ids, "
            + "ARRAY(SELECT k.name FROM access_grant_keys gk JOIN ssh_keys k ON k.id = gk.key_id WHERE gk.grant_id = g.id "
            + "ORDER BY k.name) AS key_names, "
            + "ARRAY(SELECT p.id FROM access_grant_platforms gp JOIN platform_names p ON p.id = gp.platform_id "
            + "WHERE gp.grant_id = g.id ORDER BY p.name) AS platform_ids, "
            + "ARRAY(SELECT p.name FROM access_grant_platforms gp JOIN platform_names p ON p.id = gp.platform_id "
            + "WHERE gp.grant_id = g.id ORDER BY p.name) AS platform_names";
    private static final List<String> OWN_COLUMNS = List.of("login_user", "selector", "options", "expires_at");

    /** A key or platform the grant names. */
    record Member(long id, String name) {
    }

    List<Member> keys = new ArrayList<>();
    List<Member> platforms = new ArrayList<>();
    Map<String, String> selector;
    String loginUser;
    String options;
    Instant expiresAt;

    /** A grant from a row of {@link #COLUMNS}. */
    static AccessGrant of(Row r) {
        AccessGrant g = new AccessGrant();
        g.readCommon(r);
        JsonObject selector = r.getJsonObject("selector");
        g.selector = selector == null ? null : Labels.fromJson(selector);
        g.loginUser = r.getString("login_user");
        g.options = r.getString("options");
        g.expiresAt = Timestamps.of(r, "expires_at");
        g.keys = members(r.getArrayOfLongs("key_ids"), r.getArrayOfStrings("key_names"));
        g.platforms = members(r.getArrayOfLongs("platform_ids"), r.getArrayOfStrings("platform_names"));
        return g;
    }

    private static List<Member> members(Long[] ids, String[] names) {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            members.add(new Member(ids[i], names[i]));
        }
        return members;
    }

    /** Inserts a new grant or updates a stored one, and replaces its keys and platforms. */
    Uni<Void> save(SqlClient c) {
        Object[] values = { loginUser, selector == null ? null : new JsonObject(new HashMap<String, Object>(selector)), options,
                Timestamps.utc(expiresAt) };
        Uni<Void> row = id == null ? insert(c, TABLE, OWN_COLUMNS, values) : update(c, TABLE, "access grant", OWN_COLUMNS, values);
        return row.chain(() -> c.preparedQuery("DELETE FROM access_grant_keys WHERE grant_id = $1").execute(Tuple.of(id)))
                .chain(() -> c.preparedQuery("DELETE FROM access_grant_platforms WHERE grant_id = $1").execute(Tuple.of(id)))
                .chain(() -> c.preparedQuery("INSERT INTO access_grant_keys (grant_id, key_id) SELECT $1, unnest($2::bigint[])")
                        .execute(Tuple.of(id, ids(keys))))
                .chain(() -> c.preparedQuery("INSERT INTO access_grant_platforms (grant_id, platform_id) SELECT $1, unnest($2::bigint[])")
                        .execute(Tuple.of(id, ids(platforms))))
                .replaceWithVoid();
    }

    Uni<Void> delete(SqlClient c) {
        return delete(c, TABLE, "access grant");
    }

    private static Long[] ids(List<Member> members) {
        return members.stream().map(Member::id).toArray(Long[]::new);
    }
}

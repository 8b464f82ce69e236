package io.testum.keys;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Pages;
import io.testum.common.Rows;
import io.testum.common.Search;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
class SshKeyRepository {

    /** Grants that are in force now: not expired. */
    private static final String ACTIVE_GRANT = "(g.expires_at IS NULL OR g.expires_at > now())";

    private final Pool pool;

    SshKeyRepository(Pool pool) {
        this.pool = pool;
    }

    /** The key named, or null. */
    Uni<SshKey> findByName(SqlClient c, String name) {
        return c.preparedQuery("SELECT " + SshKey.COLUMNS + " FROM ssh_keys WHERE name = $1").execute(Tuple.of(name))
                .map(rows -> Rows.first(rows, SshKey::of));
    }

    /** The key with this fingerprint, or null. */
    Uni<SshKey> findByFingerprint(SqlClient c, String fingerprint) {
        return c.preparedQuery("SELECT " + SshKey.COLUMNS + " FROM ssh_keys WHERE fingerprint = $1").execute(Tuple.of(fingerprint))
                .map(rows -> Rows.first(rows, SshKey::of));
    }

    /** The keys named that exist. */
    Uni<List<SshKey>> findByNames(SqlClient c, Collection<String> names) {
        if (names.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return c.preparedQuery("SELECT " + SshKey.COLUMNS + " FROM ssh_keys WHERE name = ANY($1)")
                .execute(Tuple.of((Object) names.toArray(String[]::new))).map(rows -> Rows.list(rows, SshKey::of));
    }

    /** The keys whose text matches {@code q}, by name. */
    Uni<Page<SshKey>> search(String q, PageRequest page) {
        List<Object> params = new ArrayList<>();
        String where = Search.where(q, params, "name", "comment", "description", "fingerprint");
        return Pages.sql(pool, SshKey.COLUMNS, " FROM ssh_keys" + where, "name", params, page.page(), page.size(),
                rows -> Rows.list(rows, SshKey::of));
    }

    /**
     * Key name → the names of the platforms where a grant in force puts the key, through the
     * grant's platform names or its selector, in name order.
     */
    Uni<Map<String, List<String>>> grantedPlatforms(SqlClient c, Collection<Long> keyIds) {
        if (keyIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        String sql = "SELECT DISTINCT k.name AS key_name, p.name AS platform_name FROM ssh_keys k"
                + " JOIN access_grant_keys gk ON gk.key_id = k.id"
                + " JOIN access_grants g ON g.id = gk.grant_id AND " + ACTIVE_GRANT
                + " JOIN platform_names p ON p.id IN (SELECT gp.platform_id FROM access_grant_platforms gp WHERE gp.grant_id = g.id)"
                + "   OR (g.selector IS NOT NULL AND g.selector <> '{}'::jsonb AND p.labels @> g.selector)"
                + " WHERE k.id = ANY($1) ORDER BY k.name, p.name";
        return c.preparedQuery(sql).execute(Tuple.of((Object) keyIds.toArray(Long[]::new))).map(rows -> Rows.group(rows, r -> r.getString("key_name"), r -> r.getString("platform_name")));
    }

    /** Names of the grants that include the key, by name. */
    Uni<List<String>> grantsIncluding(SqlClient c, long keyId) {
        return c.preparedQuery("SELECT g.name FROM access_grants g JOIN access_grant_keys gk ON gk.grant_id = g.id "
                + "WHERE gk.key_id = $1 ORDER BY g.name").execute(Tuple.of(keyId)).map(rows -> Rows.list(rows, r -> r.getString(0)));
    }
}

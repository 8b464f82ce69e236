package io.testum.inventory;

import java.util.ArrayList;
import java.util.List;

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
class PlatformRepository {

    private final Pool pool;

    PlatformRepository(Pool pool) {
        this.pool = pool;
    }

    /** The platform named, or null. */
    Uni<Platform> findByName(SqlClient c, String name) {
        return c.preparedQuery("SELECT " + Platform.COLUMNS + " FROM platforms WHERE name = $1").execute(Tuple.of(name))
                .map(rows -> Rows.first(rows, Platform::of));
    }

    /**
     * Platforms whose labels carry every pair of the filters, whose text matches {@code q}, and
     * whose reachability is {@code reachability} (any when null), by name.
     */
    Uni<Page<Platform>> search(List<Labels.Filter> labels, String q, String reachability, PageRequest page) {
        StringBuilder where = new StringBuilder(" FROM platforms WHERE true");
        List<Object> params = new ArrayList<>();
        for (Labels.Filter f : labels) {
            params.add(f.key());
            if (f.value() == null) {
                where.append(" AND jsonb_exists(labels, $").append(params.size()).append(')');
            } else {
                params.add(f.value());
                where.append(" AND labels @> jsonb_build_object($").append(params.size() - 1).append("::text, $")
                        .append(params.size()).append("::text)");
            }
        }
        if (reachability != null) {
            params.add(reachability);
            where.append(" AND reachability = $").append(params.size());
        }
        String text = Search.condition(q, params, "name", "host", "description");
        if (!text.isEmpty()) {
            where.append(" AND ").append(text);
        }
        return Pages.sql(pool, Platform.COLUMNS, where.toString(), "name", params, page.page(), page.size(),
                rows -> Rows.list(rows, Platform::of));
    }
}

package io.testum.keys;

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
class AccessGrantRepository {

    private final Pool pool;

    AccessGrantRepository(Pool pool) {
        this.pool = pool;
    }

    /** The grant with its keys and platforms, or null. */
    Uni<AccessGrant> findByName(SqlClient c, String name) {
        return c.preparedQuery("SELECT " + AccessGrant.COLUMNS + " FROM access_grants g WHERE g.name = $1").execute(Tuple.of(name))
                .map(rows -> Rows.first(rows, AccessGrant::of));
    }

    /** The grants whose text matches {@code q}, with their keys and platforms, by name. */
    Uni<Page<AccessGrant>> search(String q, PageRequest page) {
        List<Object> params = new ArrayList<>();
        String where = Search.where(q, params, "g.name", "g.description");
        return Pages.sql(pool, AccessGrant.COLUMNS, " FROM access_grants g" + where, "g.name", params, page.page(), page.size(),
                rows -> Rows.list(rows, AccessGrant::of));
    }
}

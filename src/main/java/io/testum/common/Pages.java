package io.testum.common;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Runs the two queries of a list call: the total, then one page. */
public final class Pages {

    private Pages() {
    }

    /**
     * {@code SELECT count(*) from} for the total, {@code SELECT columns from ORDER BY orderBy LIMIT
     * OFFSET} for the page, both with {@code params} ($1, $2, ... in {@code from}).
     *
     * @param from {@code " FROM ... WHERE ..."}
     */
    public static <T> Uni<Page<T>> sql(SqlClient client, String columns, String from, String orderBy, List<Object> params,
            int page, int size, Function<RowSet<Row>, List<T>> items) {
        Uni<Long> total = client.preparedQuery("SELECT count(*)" + from).execute(Tuple.from(params))
                .map(rows -> rows.iterator().next().getLong(0));
        List<Object> paged = new ArrayList<>(params);
        paged.add(size);
        paged.add((long) page * size);
        Uni<List<T>> rows = client.preparedQuery("SELECT " + columns + from + " ORDER BY " + orderBy + " LIMIT $"
                + (params.size() + 1) + " OFFSET $" + (params.size() + 2)).execute(Tuple.from(paged)).map(items);
        return Uni.combine().all().unis(rows, total).with((i, t) -> new Page<>(i, t, page, size));
    }
}

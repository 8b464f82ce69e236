package io.testum.common;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

/** Rows of a query result mapped by hand: the first one, all in order, or keyed. */
public final class Rows {

    private Rows() {
    }

    /** The first row mapped, or null when there is none. */
    public static <T> T first(RowSet<Row> rows, Function<Row, T> mapper) {
        var it = rows.iterator();
        return it.hasNext() ? mapper.apply(it.next()) : null;
    }

    /** Every row mapped, in the order of the result. */
    public static <T> List<T> list(RowSet<Row> rows, Function<Row, T> mapper) {
        List<T> out = new ArrayList<>(rows.size());
        rows.forEach(r -> out.add(mapper.apply(r)));
        return out;
    }

    /** Each row's {@code value} by its {@code key}; a later row with the same key wins. Values may be null. */
    public static <K, V> Map<K, V> map(RowSet<Row> rows, Function<Row, K> key, Function<Row, V> value) {
        Map<K, V> out = new HashMap<>();
        rows.forEach(r -> out.put(key.apply(r), value.apply(r)));
        return out;
    }

    /** The rows' {@code value}s grouped by {@code key}, each group in the order of the result. */
    public static <K, V> Map<K, List<V>> group(RowSet<Row> rows, Function<Row, K> key, Function<Row, V> value) {
        Map<K, List<V>> out = new HashMap<>();
        rows.forEach(r -> out.computeIfAbsent(key.apply(r), k -> new ArrayList<>()).add(value.apply(r)));
        return out;
    }

    /** A JSON array column of strings as a list; empty for SQL NULL. */
    public static List<String> strings(io.vertx.core.json.JsonArray array) {
        List<String> list = new ArrayList<>();
        if (array != null) {
            array.forEach(v -> list.add((String) v));
        }
        return list;
    }
}

package io.testum.common;

import java.util.List;
import java.util.Locale;

/** The {@code q=} free-text filter of list calls: a case-insensitive substring match. */
public final class Search {

    private Search() {
    }

    /**
     * The SQL condition for {@code q} over the columns {@code fields} (each lowercased and
     * null-safe), with its pattern added to {@code params} as the next {@code $n}; empty when
     * {@code q} is blank.
     */
    public static String condition(String q, List<Object> params, String... fields) {
        if (q == null || q.isBlank()) {
            return "";
        }
        params.add(likePattern(q));
        String param = "$" + params.size();
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < fields.length; i++) {
            out.append(i == 0 ? "" : " OR ").append("lower(coalesce(").append(fields[i]).append(", '')) LIKE ").append(param)
                    .append(" ESCAPE '\\'");
        }
        return out.append(')').toString();
    }

    /** {@link #condition} as a {@code WHERE} clause (with a leading space), or empty. */
    public static String where(String q, List<Object> params, String... fields) {
        String condition = condition(q, params, fields);
        return condition.isEmpty() ? "" : " WHERE " + condition;
    }

    /** A LIKE pattern (escape character backslash) that matches {@code q} anywhere, in lowercase. */
    public static String likePattern(String q) {
        String escaped = q.strip().toLowerCase(Locale.ROOT)
                .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + escaped + "%";
    }
}

package io.testum.common;

import java.util.Locale;

import io.quarkus.panache.common.Parameters;

/** The {@code q=} free-text filter of list calls: a case-insensitive substring match. */
public final class Search {

    private Search() {
    }

    /**
     * The HQL condition for {@code q} over {@code fields} (each lowercased and null-safe), with its
     * parameter added to {@code params}; empty when {@code q} is blank.
     */
    public static String condition(String q, Parameters params, String... fields) {
        if (q == null || q.isBlank()) {
            return "";
        }
        params.and("q", likePattern(q));
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < fields.length; i++) {
            out.append(i == 0 ? "" : " or ").append("lower(coalesce(").append(fields[i]).append(", '')) like :q escape '\\'");
        }
        return out.append(')').toString();
    }

    /** {@link #condition} as a {@code where} clause, or empty. */
    public static String where(String q, Parameters params, String... fields) {
        String condition = condition(q, params, fields);
        return condition.isEmpty() ? "" : " where " + condition;
    }

    /** A LIKE pattern (escape character backslash) that matches {@code q} anywhere, in lowercase. */
    public static String likePattern(String q) {
        String escaped = q.strip().toLowerCase(Locale.ROOT)
                .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + escaped + "%";
    }
}

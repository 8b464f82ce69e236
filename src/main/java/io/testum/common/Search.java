package io.testum.common;

import java.util.Locale;

/** The {@code q=} free-text filter of list calls: a case-insensitive substring match. */
public final class Search {

    private Search() {
    }

    /** A LIKE pattern (escape character backslash) that matches {@code q} anywhere, in lowercase. */
    public static String likePattern(String q) {
        String escaped = q.strip().toLowerCase(Locale.ROOT)
                .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + escaped + "%";
    }
}

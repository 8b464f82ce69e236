package io.testum.web;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.testum.common.ValidationException;

/** How form fields become the values the services take: lists, labels, optional numbers. */
final class Forms {

    private Forms() {
    }

    /** {@code "a, b  c"} → {@code [a, b, c]}; blank → empty. */
    static List<String> list(String raw) {
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        return Arrays.stream(raw.split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * {@code "env=prod, tier=web"} → a map; each entry must be {@code key=value}. Blank → empty.
     * The services check the keys and values themselves.
     */
    static Map<String, String> labels(String raw, String field) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : list(raw)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new ValidationException(field, "'" + pair + "' must be key=value");
            }
            labels.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return labels;
    }

    /** Labels as a form shows them: {@code env=prod, tier=web}. */
    static String labels(Map<String, String> labels) {
        if (labels == null) {
            return "";
        }
        return String.join(", ", labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}

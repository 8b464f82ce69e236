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

    /** Non-blank lines of a text area, as typed (a trailing carriage return dropped). */
    static List<String> lines(String raw) {
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        return raw.lines().map(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l).filter(l -> !l.isBlank()).toList();
    }

    /**
     * {@code NAME=value} lines (values may hold spaces and {@code =}) → a map. A malformed line is
     * named by its number only: the values may be secrets, so they are never echoed.
     */
    static Map<String, String> assignments(String raw, String field) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> lines = lines(raw);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ValidationException(field, "line " + (i + 1) + " must be NAME=value");
            }
            values.put(line.substring(0, eq).strip(), line.substring(eq + 1));
        }
        return values;
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}

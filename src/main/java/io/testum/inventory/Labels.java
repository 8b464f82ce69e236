package io.testum.inventory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.testum.common.Names;
import io.testum.common.Violations;
import io.vertx.core.json.JsonObject;

/**
 * Kubernetes-style labels on platforms, label selectors on grants, and {@code label=k=v} filters.
 * <p>
 * A key is an optional DNS-subdomain prefix and '/', then a name of at most 63 characters of
 * alphanumerics, '-', '_' and '.', beginning and ending with an alphanumeric. A value is empty or
 * follows the name rule.
 */
public final class Labels {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

    private Labels() {
    }

    /** Labels (or a selector) as a {@code jsonb} column holds them, sorted by key; {@code null} reads as none. */
    public static Map<String, String> fromJson(JsonObject json) {
        Map<String, String> labels = new TreeMap<>();
        if (json != null) {
            json.forEach(e -> labels.put(e.getKey(), String.valueOf(e.getValue())));
        }
        return labels;
    }

    /** Checks every key and value of {@code labels}, recording problems under {@code field.key}. */
    public static void check(Map<String, String> labels, String field, Violations violations) {
        if (labels == null) {
            return;
        }
        labels.forEach((key, value) -> {
            String where = field + "." + key;
            checkKey(key, where, violations);
            if (value == null) {
                violations.add(where, "needs a value (an empty string is allowed)");
            } else {
                violations.check(value.isEmpty() || NAME.matcher(value).matches(), where,
                        "value '" + value + "' must be empty or at most 63 characters of A-Z, a-z, 0-9, '-', '_' and '.', "
                                + "beginning and ending with a letter or digit");
            }
        });
    }

    private static void checkKey(String key, String where, Violations violations) {
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            violations.check(Names.isDnsSubdomain(prefix), where,
                    "key prefix '" + prefix + "' must be a lowercase DNS subdomain such as example.com");
        }
        violations.check(NAME.matcher(name).matches(), where,
                "key name '" + name + "' must be 1 to 63 characters of A-Z, a-z, 0-9, '-', '_' and '.', "
                        + "beginning and ending with a letter or digit");
    }

    /** Whether {@code labels} carry every pair of {@code selector}. */
    public static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty()
                && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    /**
     * One {@code label=} query filter: {@code key=value} (the label has that value) or {@code key}
     * (the label is present).
     */
    public record Filter(String key, String value) {

        /** Parses the repeatable {@code label} query parameter. */
        public static List<Filter> parseAll(List<String> raw) {
            Violations violations = new Violations();
            List<Filter> filters = raw == null ? List.of() : raw.stream().map(r -> parse(r, violations)).toList();
            violations.throwIfAny();
            return filters;
        }

        private static Filter parse(String raw, Violations violations) {
            int eq = raw.indexOf('=');
            String key = eq < 0 ? raw : raw.substring(0, eq);
            String value = eq < 0 ? null : raw.substring(eq + 1);
            Map<String, String> probe = new LinkedHashMap<>();
            probe.put(key, value == null ? "" : value);
            Violations local = new Violations();
            check(probe, "label", local);
            violations.check(local.isEmpty(), "label",
                    "'" + raw + "' must be key=value or key, with a valid label key and value");
            return new Filter(key, value);
        }
    }
}

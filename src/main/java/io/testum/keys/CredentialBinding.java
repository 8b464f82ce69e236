package io.testum.keys;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.testum.inventory.Labels;

/**
 * Where an admin allows a credential to be used: platforms by name, and/or by labels (all must
 * match). Kept by credential name, so it outlives the credential: deleting and declaring it again
 * (in Git or through the API) keeps the binding. A credential without one may serve any platform.
 */
@Entity
@Table(name = "credential_bindings")
public class CredentialBinding {

    static final String PLATFORMS = "platforms";
    static final String SELECTOR = "selector";

    @Id
    public String credential;
    /** {@code {"platforms": [names], "selector": {labels}}}. */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> rule;
    public String updatedBy;
    public Instant updatedAt;

    /** The platforms named, sorted. */
    public List<String> platforms() {
        Object value = rule == null ? null : rule.get(PLATFORMS);
        List<String> names = new java.util.ArrayList<>();
        if (value instanceof java.util.Collection<?> list) {
            list.forEach(n -> names.add(String.valueOf(n)));
        }
        return List.copyOf(names);
    }

    /** The labels a platform must carry, or an empty map. */
    public Map<String, String> selector() {
        Object value = rule == null ? null : rule.get(SELECTOR);
        Map<String, String> labels = new TreeMap<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
        }
        return labels;
    }

    void set(List<String> platforms, Map<String, String> selector) {
        Map<String, Object> value = new java.util.LinkedHashMap<>();
        value.put(PLATFORMS, platforms == null ? List.of() : List.copyOf(new java.util.TreeSet<>(platforms)));
        if (selector != null && !selector.isEmpty()) {
            value.put(SELECTOR, new TreeMap<>(selector));
        }
        rule = value;
    }

    /** Whether a credential bound to {@code platforms} and {@code selector} may serve the platform; unbound (both empty) may. */
    public static boolean allows(List<String> platforms, Map<String, String> selector, String name, Map<String, String> labels) {
        boolean byName = platforms != null && !platforms.isEmpty();
        boolean byLabels = selector != null && !selector.isEmpty();
        if (!byName && !byLabels) {
            return true;
        }
        return byName && platforms.contains(name) || byLabels && Labels.matches(selector, labels);
    }

    /** The binding in words, for an error: {@code platforms [a, b] or labels {env=prod}}. */
    public static String describe(List<String> platforms, Map<String, String> selector) {
        boolean byName = platforms != null && !platforms.isEmpty();
        boolean byLabels = selector != null && !selector.isEmpty();
        return (byName ? "platforms " + platforms : "") + (byName && byLabels ? " or " : "")
                + (byLabels ? "platforms labelled " + new TreeMap<>(selector) : "");
    }
}

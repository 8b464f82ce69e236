package io.testum.keys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.testum.common.Timestamps;
import io.testum.inventory.Labels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Where an admin allows a credential to be used: platforms by name, and/or by labels (all must
 * match). Kept by credential name, so it outlives the credential: deleting and declaring it again
 * (in Git or through the API) keeps the binding. A credential without one may serve any platform.
 * A row of {@code credential_bindings}, whose {@code rule} is {@code {"platforms": [names], "selector": {labels}}}.
 *
 * @param platforms the platforms named, sorted
 * @param selector  the labels a platform must carry, sorted by key; empty when none
 */
public record CredentialBinding(String credential, List<String> platforms, Map<String, String> selector, String updatedBy,
        Instant updatedAt) {

    static final String PLATFORMS = "platforms";
    static final String SELECTOR = "selector";

    public CredentialBinding {
        platforms = platforms == null ? List.of() : List.copyOf(new TreeSet<>(platforms));
        selector = selector == null ? Map.of() : new TreeMap<>(selector);
    }

    /** A binding from a row with the columns {@code credential, rule, updated_by, updated_at}. */
    static CredentialBinding of(Row r) {
        JsonObject rule = r.getJsonObject("rule");
        return new CredentialBinding(r.getString("credential"), names(rule.getValue(PLATFORMS)),
                rule.getValue(SELECTOR) instanceof JsonObject json ? Labels.fromJson(json) : Map.of(),
                r.getString("updated_by"), Timestamps.of(r, "updated_at"));
    }

    /** The platform names of a rule's {@code platforms} (a JSON array); empty for anything else. */
    static List<String> names(Object platforms) {
        List<String> names = new ArrayList<>();
        if (platforms instanceof JsonArray array) {
            array.forEach(n -> names.add(String.valueOf(n)));
        }
        return List.copyOf(names);
    }

    /** The {@code rule} column: the platforms, and the selector when there is one. */
    JsonObject rule() {
        JsonObject rule = new JsonObject().put(PLATFORMS, new JsonArray(new ArrayList<Object>(platforms)));
        if (!selector.isEmpty()) {
            rule.put(SELECTOR, new JsonObject(new TreeMap<String, Object>(selector)));
        }
        return rule;
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

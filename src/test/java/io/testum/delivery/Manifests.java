package io.testum.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Kubernetes manifests read as plain maps, with the checks every way of installing testum must pass. */
final class Manifests {

    /** Environment variables whose value is a secret: they must come from a Secret, never as a value. */
    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|SECRET|TOKEN|MASTER_KEY|SIGNING_KEY|DB_URL).*");

    private Manifests() {
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> parse(String yaml) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(yaml)) {
            if (doc instanceof Map<?, ?> map && !map.isEmpty()) {
                docs.add((Map<String, Object>) map);
            }
        }
        return docs;
    }

    static Map<String, Object> kind(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in " + docs.stream().map(d -> d.get("kind")).toList()));
    }

    @SuppressWarnings("unchecked")
    static Object at(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(step);
            } else if (current instanceof List<?> list && step instanceof Integer i) {
                current = list.get(i);
            } else {
                return null;
            }
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> container(Map<String, Object> deployment) {
        return (Map<String, Object>) at(deployment, "spec", "template", "spec", "containers", 0);
    }

    /** Names of environment variables that hold a secret-looking name and a literal value. */
    @SuppressWarnings("unchecked")
    static List<String> plainSecrets(List<Map<String, Object>> docs) {
        List<String> found = new ArrayList<>();
        for (Map<String, Object> doc : docs) {
            if ("Secret".equals(doc.get("kind"))) {
                found.add("Secret " + at(doc, "metadata", "name"));
            }
            if ("ConfigMap".equals(doc.get("kind")) && doc.get("data") instanceof Map<?, ?> data) {
                data.keySet().stream().map(String::valueOf).filter(k -> SECRET_NAME.matcher(k).matches())
                        .forEach(k -> found.add("ConfigMap key " + k));
            }
            if ("Deployment".equals(doc.get("kind"))) {
                Object env = at(container(doc), "env");
                if (env instanceof List<?> list) {
                    for (Object e : list) {
                        Map<String, Object> var = (Map<String, Object>) e;
                        if (var.containsKey("value") && SECRET_NAME.matcher(String.valueOf(var.get("name"))).matches()) {
                            found.add("env " + var.get("name"));
                        }
                    }
                }
            }
        }
        return found;
    }

    /**
     * ConfigMaps that let every client pick its own address (and the audit log's client_address,
     * and the login throttle's key) with X-Forwarded-For: forwarding on without trusted proxies.
     */
    static List<String> untrustedForwarding(List<Map<String, Object>> docs) {
        List<String> found = new ArrayList<>();
        for (Map<String, Object> doc : docs) {
            if ("ConfigMap".equals(doc.get("kind")) && doc.get("data") instanceof Map<?, ?> data
                    && "true".equals(String.valueOf(data.get("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING")))) {
                Object trusted = data.get("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES");
                if (trusted == null || String.valueOf(trusted).isBlank()) {
                    found.add("ConfigMap " + at(doc, "metadata", "name"));
                }
            }
        }
        return found;
    }
}

package io.testum.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.core.json.JsonObject;

/**
 * Reads Secrets of testum's own namespace by name (credentials' {@code secret_ref}), through the
 * Kubernetes API with the pod's service account, which may read only the Secrets named in its
 * Role. A Secret read is kept for {@link #CACHE}, so a run across hundreds of hosts asks once.
 */
@ApplicationScoped
public class KubernetesSecrets {

    static final Duration CACHE = Duration.ofSeconds(30);

    private record Cached(Map<String, byte[]> data, long at) {
    }

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final KubernetesApi api;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public KubernetesSecrets(KubernetesApi api) {
        this.api = api;
    }

    /**
     * The data of Secret {@code name}, decoded; empty when there is no such Secret.
     *
     * @throws IllegalStateException when the Kubernetes API cannot be asked (no cluster, no right)
     */
    public Optional<Map<String, byte[]>> read(String name) {
        Cached cached = cache.get(name);
        if (cached != null && System.nanoTime() - cached.at() < CACHE.toNanos()) {
            return Optional.of(cached.data());
        }
        Optional<JsonObject> secret;
        try {
            secret = api.get(api.path("/api/v1", "secrets", name), WAIT);
        } catch (KubernetesApi.ApiException e) {
            throw new IllegalStateException("cannot read the Kubernetes Secret '" + name + "': "
                    + (e.status() == 403 ? "testum's service account may not read it (add it to the Role's resourceNames)"
                            : e.getMessage()), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot read the Kubernetes Secret '" + name + "': " + e.getMessage(), e);
        }
        if (secret.isEmpty()) {
            cache.remove(name);
            return Optional.empty();
        }
        Map<String, byte[]> data = new HashMap<>();
        JsonObject encoded = secret.get().getJsonObject("data");
        if (encoded != null) {
            encoded.forEach(e -> data.put(e.getKey(), Base64.getMimeDecoder().decode(String.valueOf(e.getValue()))));
        }
        JsonObject plain = secret.get().getJsonObject("stringData");
        if (plain != null) {
            plain.forEach(e -> data.put(e.getKey(), String.valueOf(e.getValue()).getBytes(StandardCharsets.UTF_8)));
        }
        Map<String, byte[]> read = Map.copyOf(data);
        cache.put(name, new Cached(read, System.nanoTime()));
        return Optional.of(read);
    }
}

package io.testum.cluster;

import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

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

    private final Instance<KubernetesClient> client;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public KubernetesSecrets(Instance<KubernetesClient> client) {
        this.client = client;
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
        Secret secret;
        try {
            KubernetesClient kubernetes = client.get();
            secret = kubernetes.secrets().inNamespace(LeadershipProducer.namespace(kubernetes)).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new IllegalStateException("cannot read the Kubernetes Secret '" + name + "': "
                    + (e.getCode() == 403 ? "testum's service account may not read it (add it to the Role's resourceNames)"
                            : e.getMessage()), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot read the Kubernetes Secret '" + name + "': " + e.getMessage(), e);
        }
        if (secret == null) {
            cache.remove(name);
            return Optional.empty();
        }
        Map<String, byte[]> data = new HashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> data.put(k, Base64.getMimeDecoder().decode(v)));
        }
        if (secret.getStringData() != null) {
            secret.getStringData().forEach((k, v) -> data.put(k, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        Map<String, byte[]> read = Map.copyOf(data);
        cache.put(name, new Cached(read, System.nanoTime()));
        return Optional.of(read);
    }
}

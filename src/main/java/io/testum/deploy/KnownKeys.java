package io.testum.deploy;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.testum.keys.KeyDirectory;

/**
 * testum's keys as they stand now: the name of each stored public key by fingerprint, and the
 * fingerprint of each key credential's public key by credential name (testum's own login keys,
 * also those whose private key lives in a Kubernetes Secret).
 */
record KnownKeys(Map<String, String> names, Map<String, String> credentials) {

    /**
     * testum's keys now; the login keys of credentials kept in a Kubernetes Secret ({@code secret_ref})
     * are read from their Secrets, on a worker thread.
     */
    static Uni<KnownKeys> load(KeyDirectory keys, LoginKeys loginKeys) {
        return Uni.combine().all().unis(keys.keyNamesByFingerprint(), keys.credentialPublicKeys(), keys.credentialSecretRefs()
                .flatMap(refs -> refs.isEmpty() ? Uni.createFrom().item(Map.<String, String>of())
                        : Uni.createFrom().item(() -> loginKeys.ofSecretRefs(refs))
                                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())))
                .with((names, lines, fromSecrets) -> {
                    Map<String, String> credentials = new LinkedHashMap<>();
                    lines.forEach((name, line) -> UnmanagedKeys.fingerprint(line).ifPresent(f -> credentials.put(name, f)));
                    fromSecrets.forEach((name, line) -> UnmanagedKeys.fingerprint(line).ifPresent(f -> credentials.putIfAbsent(name, f)));
                    return new KnownKeys(names, credentials);
                });
    }

    boolean isCredential(String fingerprint) {
        return credentials.containsValue(fingerprint);
    }

    /** The stored key's name for a fingerprint, or {@code testum:<credential>} for a login key, or null. */
    String nameOf(String fingerprint) {
        String name = names.get(fingerprint);
        if (name != null) {
            return name;
        }
        return credentials.entrySet().stream().filter(e -> e.getValue().equals(fingerprint)).findFirst()
                .map(e -> DesiredState.ownKeyName(e.getKey())).orElse(null);
    }

    /** The fingerprints a name stands for now: the stored key's, or the login key's for {@code testum:<credential>}. */
    Set<String> fingerprintsOf(String name) {
        Set<String> found = new HashSet<>();
        names.forEach((fingerprint, keyName) -> {
            if (keyName.equals(name)) {
                found.add(fingerprint);
            }
        });
        credentials.forEach((credential, fingerprint) -> {
            if (DesiredState.ownKeyName(credential).equals(name)) {
                found.add(fingerprint);
            }
        });
        return found;
    }
}

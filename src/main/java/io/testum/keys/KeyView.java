package io.testum.keys;

import java.time.Instant;
import java.util.List;

/** A public key as the API shows it, with the platforms where grants in force put it. */
public record KeyView(
        String name,
        String publicKey,
        String description,
        String type,
        int bits,
        String fingerprint,
        String comment,
        String source,
        String sourceRevision,
        List<String> platforms,
        Instant createdAt,
        Instant updatedAt) {

    static KeyView of(SshKey k, List<String> platforms) {
        return new KeyView(k.name, k.publicKey, k.description, k.keyType, k.bits, k.fingerprint, k.comment, k.source,
                k.sourceRevision, platforms, k.createdAt, k.updatedAt);
    }
}

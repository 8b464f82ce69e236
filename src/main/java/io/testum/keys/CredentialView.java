package io.testum.keys;

import java.time.Instant;
import java.util.List;

/**
 * A credential as the API shows it: public parts only. {@code has_secret} is false for a
 * placeholder declared in Git whose secret has not arrived yet; {@code platforms} are the
 * platforms that use it; {@code binding} is where an admin allows it to be used (null: anywhere).
 */
public record CredentialView(
        String name,
        String kind,
        String type,
        Integer bits,
        String fingerprint,
        String publicKey,
        boolean hasSecret,
        String secretRef,
        String description,
        List<String> platforms,
        CredentialRequests.Binding binding,
        String source,
        String sourceRevision,
        Instant createdAt,
        Instant updatedAt) {

    static CredentialView of(Credential c, List<String> platforms, CredentialBinding binding) {
        return new CredentialView(c.name, c.kind, c.keyType, c.bits, c.fingerprint, c.publicKey, c.hasSecret(),
                c.secretRef, c.description, platforms, binding == null ? null
                        : new CredentialRequests.Binding(binding.platforms(), binding.selector().isEmpty() ? null : binding.selector()),
                c.source, c.sourceRevision, c.createdAt, c.updatedAt);
    }
}

package io.testum.inventory;

import java.util.Map;

import io.testum.keys.InlineSecret;

/**
 * A platform as {@code POST} and {@code PUT /api/platforms} receive it: the fields of a
 * {@link PlatformRequest}, and, as the earlier testum API took them, the secret to log in with
 * ({@code password}, or {@code private_key} with its {@code passphrase}). Such a secret is sealed as
 * a credential that belongs to the platform; it is never returned.
 */
public record PlatformApiRequest(
        String name,
        String host,
        Integer port,
        String username,
        String authMethod,
        String credential,
        String hostKey,
        Map<String, String> labels,
        String authorizedKeysPath,
        String authorizedKeysMode,
        String description,
        String password,
        String privateKey,
        String passphrase) {

    PlatformRequest request() {
        return new PlatformRequest(name, host, port, username, authMethod, credential, hostKey, labels, authorizedKeysPath,
                authorizedKeysMode, description);
    }

    /** The inline secret, or null when the request names a credential (or none) instead. */
    InlineSecret secret() {
        return InlineSecret.of(password, privateKey, passphrase);
    }

    @Override
    public String toString() {
        return "PlatformApiRequest[" + name + ", secret=" + (secret() == null ? "none" : "***") + "]";
    }
}

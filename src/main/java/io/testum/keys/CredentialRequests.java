package io.testum.keys;

import java.util.List;
import java.util.Map;

/** What the credential endpoints receive. Secrets are write-only and never printed. */
public final class CredentialRequests {

    private CredentialRequests() {
    }

    /**
     * Where a credential may be used: platforms by name, and/or platforms whose labels match
     * {@code selector} (all must match). Both empty: anywhere.
     */
    public record Binding(List<String> platforms, Map<String, String> selector) {

        boolean isEmpty() {
            return (platforms == null || platforms.isEmpty()) && (selector == null || selector.isEmpty());
        }
    }

    /** {@code POST /api/credentials/generate}: {@code type} is ed25519 (default) or rsa; {@code binding} optional. */
    public record Generate(String name, String type, Integer bits, String description, Binding binding) {
    }

    /** {@code POST /api/credentials/import}: a private key (with its passphrase) or a password; {@code binding} optional. */
    public record Import(String name, String privateKey, String passphrase, String password, String description,
            Binding binding) {

        @Override
        public String toString() {
            return "Import[name=" + name + ", private_key=" + (privateKey == null ? "absent" : "***")
                    + ", passphrase=" + (passphrase == null ? "absent" : "***")
                    + ", password=" + (password == null ? "absent" : "***") + "]";
        }
    }
}

package io.testum.keys;

/** What the credential endpoints receive. Secrets are write-only and never printed. */
public final class CredentialRequests {

    private CredentialRequests() {
    }

    /** {@code POST /api/credentials/generate}: {@code type} is ed25519 (default) or rsa. */
    public record Generate(String name, String type, Integer bits, String description) {
    }

    /** {@code POST /api/credentials/import}: a private key (with its passphrase) or a password. */
    public record Import(String name, String privateKey, String passphrase, String password, String description) {

        @Override
        public String toString() {
            return "Import[name=" + name + ", private_key=" + (privateKey == null ? "absent" : "***")
                    + ", passphrase=" + (passphrase == null ? "absent" : "***")
                    + ", password=" + (password == null ? "absent" : "***") + "]";
        }
    }
}

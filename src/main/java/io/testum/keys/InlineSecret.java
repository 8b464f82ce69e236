package io.testum.keys;

/**
 * A secret sent together with a platform instead of the name of a credential: a password, or a
 * private key (with its passphrase when it is encrypted). {@link CredentialService#sealInline} checks
 * and seals it; it is never stored or shown as it came.
 */
public record InlineSecret(String password, String privateKey, String passphrase) {

    /** The secret of a request, or null when it carries none. */
    public static InlineSecret of(String password, String privateKey, String passphrase) {
        if (password == null && privateKey == null && passphrase == null) {
            return null;
        }
        return new InlineSecret(password, privateKey, passphrase);
    }

    /** {@code password} or {@code key}: the auth method this secret logs in with. */
    public String kind() {
        return privateKey != null ? Credential.KIND_KEY : Credential.KIND_PASSWORD;
    }

    @Override
    public String toString() {
        return "InlineSecret[***]";
    }
}

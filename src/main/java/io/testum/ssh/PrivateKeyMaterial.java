package io.testum.ssh;

/**
 * A private key ready to be sealed and stored.
 *
 * @param openSsh   the key pair in OpenSSH's private key format, unencrypted
 * @param publicKey the public half
 */
public record PrivateKeyMaterial(String openSsh, PublicKeyInfo publicKey) {

    @Override
    public String toString() {
        return "PrivateKeyMaterial[" + publicKey.type() + " " + publicKey.fingerprint() + "]";
    }
}

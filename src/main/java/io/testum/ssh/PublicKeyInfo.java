package io.testum.ssh;

/**
 * A parsed SSH public key.
 *
 * @param type        the OpenSSH key type, e.g. {@code ssh-ed25519}
 * @param bits        the size {@code ssh-keygen -l} reports
 * @param fingerprint {@code SHA256:<base64>}, as {@code ssh-keygen -l} prints it
 * @param data        the base64 key blob
 * @param comment     the comment after the blob, or {@code null}
 */
public record PublicKeyInfo(String type, int bits, String fingerprint, String data, String comment) {

    /** The key as an {@code authorized_keys} line without options: {@code type data [comment]}. */
    public String line() {
        return type + " " + data + (comment == null ? "" : " " + comment);
    }
}

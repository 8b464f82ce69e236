package io.testum.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Encrypts secrets at rest with AES-256-GCM under the master key: a fresh 96-bit nonce per value,
 * and the value's purpose (e.g. {@code credential:deployer}) bound in as associated data, so a
 * ciphertext copied to another row does not decrypt.
 * <p>
 * Format: {@code version (1 byte) | nonce (12) | ciphertext and tag}.
 */
@Singleton
public class SecretCipher {

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    @Inject
    public SecretCipher(SecretsConfig config) {
        this(MasterKey.load(config));
    }

    SecretCipher(SecretKey key) {
        this.key = key;
    }

    public byte[] encrypt(byte[] plaintext, String purpose) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
        }
    }

    public byte[] encrypt(String plaintext, String purpose) {
        return encrypt(plaintext.getBytes(StandardCharsets.UTF_8), purpose);
    }

    /**
     * @throws SecretDecryptionException when the value was sealed under another key or purpose, or was altered
     */
    public byte[] decrypt(byte[] sealed, String purpose) {
        if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new SecretDecryptionException(purpose);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
            cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new SecretDecryptionException(purpose);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
        }
    }

    public String decryptString(byte[] sealed, String purpose) {
        return new String(decrypt(sealed, purpose), StandardCharsets.UTF_8);
    }

    /** A stored secret does not open with the current master key. */
    public static final class SecretDecryptionException extends RuntimeException {
        SecretDecryptionException(String purpose) {
            super("The secret '" + purpose + "' does not decrypt with the current master key");
        }
    }
}

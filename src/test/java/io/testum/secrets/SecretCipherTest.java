package io.testum.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private static SecretCipher cipher(int fill) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) fill);
        return new SecretCipher(new SecretKeySpec(key, "AES"));
    }

    @Test
    void opensWhatItSealedForTheSamePurpose() {
        byte[] sealed = cipher(1).encrypt("hunter2", "credential:a");
        assertEquals("hunter2", cipher(1).decryptString(sealed, "credential:a"));
    }

    @Test
    void usesAFreshNonceForEveryValue() {
        SecretCipher c = cipher(1);
        byte[] a = c.encrypt("same", "p");
        byte[] b = c.encrypt("same", "p");
        assertEquals(false, java.util.Arrays.equals(a, b));
    }

    @Test
    void refusesAnotherKeyAnotherPurposeOrAnAlteredValue() {
        byte[] sealed = cipher(1).encrypt("hunter2".getBytes(StandardCharsets.UTF_8), "credential:a");
        assertThrows(SecretCipher.SecretDecryptionException.class, () -> cipher(2).decrypt(sealed, "credential:a"));
        assertThrows(SecretCipher.SecretDecryptionException.class, () -> cipher(1).decrypt(sealed, "credential:b"));
        byte[] altered = sealed.clone();
        altered[altered.length - 1] ^= 1;
        assertThrows(SecretCipher.SecretDecryptionException.class, () -> cipher(1).decrypt(altered, "credential:a"));
        assertArrayEquals("hunter2".getBytes(StandardCharsets.UTF_8), cipher(1).decrypt(sealed, "credential:a"));
    }
}

package io.testum.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.testum.testing.KeyGen;

/** testum's reading of SSH keys, checked against OpenSSH's own ssh-keygen. */
class SshKeysTest {

    @TempDir
    Path tmp;

    static Stream<Arguments> keyTypes() {
        return Stream.of(
                Arguments.of("ed25519", 0),
                Arguments.of("ecdsa", 256),
                Arguments.of("ecdsa", 384),
                Arguments.of("ecdsa", 521),
                Arguments.of("rsa", 2048),
                Arguments.of("rsa", 4096));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("keyTypes")
    void reportsTheBitsAndFingerprintSshKeygenPrints(String type, int bits) {
        Path key = KeyGen.generate(tmp, type, bits, null, null, "user@host with spaces");
        String[] expected = KeyGen.fingerprintLine(Path.of(key + ".pub")).split(" ");

        PublicKeyInfo info = SshKeys.parsePublicKey(KeyGen.publicLine(key));

        assertEquals(Integer.parseInt(expected[0]), info.bits());
        assertEquals(expected[1], info.fingerprint());
        assertEquals("user@host with spaces", info.comment());
        assertEquals(KeyGen.publicLine(key), info.line());
    }

    @Test
    void readsSecurityKeyTypesAsSshKeygenDoes() throws IOException {
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(blob);
        writeString(out, "sk-ssh-ed25519@openssh.com".getBytes(StandardCharsets.US_ASCII));
        byte[] ed25519 = Base64.getDecoder().decode(io.testum.keys.TestKeys.ED25519.split(" ")[1]);
        byte[] point = java.util.Arrays.copyOfRange(ed25519, ed25519.length - 32, ed25519.length);
        writeString(out, point);
        writeString(out, "ssh:".getBytes(StandardCharsets.US_ASCII));
        String line = "sk-ssh-ed25519@openssh.com " + Base64.getEncoder().encodeToString(blob.toByteArray()) + " yubikey";
        Path file = tmp.resolve("sk.pub");
        Files.writeString(file, line + "\n");
        String[] expected = KeyGen.fingerprintLine(file).split(" ");

        PublicKeyInfo info = SshKeys.parsePublicKey(line);

        assertEquals("sk-ssh-ed25519@openssh.com", info.type());
        assertEquals(expected[1], info.fingerprint());
        assertEquals(Integer.parseInt(expected[0]), info.bits());
    }

    private static void writeString(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }

    @Test
    void keepsAKeyWithoutComment() {
        Path key = KeyGen.generate(tmp, "ed25519", 0, null, null, "");
        PublicKeyInfo info = SshKeys.parsePublicKey(KeyGen.publicLine(key));
        assertEquals(null, info.comment());
        assertEquals(KeyGen.publicLine(key), info.line());
    }

    @Test
    void generatesKeysThatSshKeygenReads() throws IOException {
        for (String algorithm : new String[] {"ed25519", "rsa"}) {
            PrivateKeyMaterial material = SshKeys.generate(algorithm, 2048, "testum-x");
            Path file = tmp.resolve(algorithm);
            Files.writeString(file, material.openSsh());
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            assertEquals(KeyGen.withoutComment(material.publicKey().line()), KeyGen.derivePublic(file));
            assertTrue(material.openSsh().startsWith("-----BEGIN OPENSSH PRIVATE KEY-----"));
        }
    }

    @Test
    void neverPrintsPrivateKeyMaterial() {
        PrivateKeyMaterial material = SshKeys.generate("ed25519", 256, "c");
        assertTrue(!material.toString().contains("PRIVATE"), material.toString());
    }

    @Test
    void refusesAnEncryptedPrivateKeyWithoutItsPassphrase() {
        Path key = KeyGen.generate(tmp, "ecdsa", 256, "secret", null, "x");
        InvalidKeyException e = assertThrows(InvalidKeyException.class,
                () -> SshKeys.importPrivateKey(KeyGen.read(key), null, "c"));
        assertEquals("is encrypted; give its passphrase", e.getMessage());
        assertEquals(SshKeys.parsePublicKey(KeyGen.publicLine(key)).fingerprint(),
                SshKeys.importPrivateKey(KeyGen.read(key), "secret", "c").publicKey().fingerprint());
    }
}

package io.testum.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.testum.keys.TestKeys;
import io.testum.testing.KeyGen;

/** What a paste into the search of the keys outside Git is read as, against ssh-keygen's own fingerprints. */
class KeyPasteTest {

    @TempDir
    Path tmp;

    private static String keygenFingerprint(Path privateKey) {
        return KeyGen.fingerprintLine(Path.of(privateKey + ".pub")).split("\\s+")[1];
    }

    private static KeyPaste.Read read(String text) {
        return KeyPaste.read(text);
    }

    @Test
    void aPublicKeyLineOrPubFileGivesTheFingerprintSshKeygenPrints() {
        Path ed = KeyGen.generate(tmp, "ed25519", 0, null, null, "ann@laptop");
        Path rsa = KeyGen.generate(tmp, "rsa", 1024, null, null, "old@box");
        assertThat(read(KeyGen.publicLine(ed)).fingerprint()).isEqualTo(keygenFingerprint(ed));
        assertThat(read(KeyGen.read(Path.of(ed + ".pub"))).fingerprint()).as("the .pub file, newline and all")
                .isEqualTo(keygenFingerprint(ed));
        assertThat(read("  " + KeyGen.withoutComment(KeyGen.publicLine(ed)) + "\r\n").fingerprint()).isEqualTo(keygenFingerprint(ed));
        assertThat(read(KeyGen.publicLine(rsa)).fingerprint()).as("a weak key is still looked for")
                .isEqualTo(keygenFingerprint(rsa));
        assertThat(read("from=\"10.0.0.0/8\",no-pty " + KeyGen.publicLine(ed)).fingerprint()).as("an authorized_keys line")
                .isEqualTo(keygenFingerprint(ed));
        assertThat(read("# my key\n" + KeyGen.publicLine(ed) + "\n" + KeyGen.publicLine(ed)).fingerprint())
                .as("comments skipped, the same key twice is one").isEqualTo(keygenFingerprint(ed));
        assertThat(read(TestKeys.DSA).refusal()).isNull();
    }

    @Test
    void aFingerprintAloneOrAsSshKeygenPrintsItIsTakenAsItIs() {
        Path ed = KeyGen.generate(tmp, "ed25519", 0, null, null, "ann@laptop");
        String line = KeyGen.fingerprintLine(Path.of(ed + ".pub"));
        assertThat(read(keygenFingerprint(ed)).fingerprint()).isEqualTo(keygenFingerprint(ed));
        assertThat(read(" " + line + "\n").fingerprint()).isEqualTo(keygenFingerprint(ed));
        assertThat(read("SHA256:tooShort").refusal()).isEqualTo(KeyPaste.Refusal.NOT_A_KEY);
        assertThat(read("MD5:aa:bb:cc").refusal()).isEqualTo(KeyPaste.Refusal.NOT_A_KEY);
    }

    @Test
    void privateKeysInEveryFormatAreRefusedAsPrivateKeys() throws Exception {
        Path openssh = KeyGen.generate(tmp, "ed25519", 0, null, null, "a");
        Path pem = KeyGen.generate(tmp, "rsa", 2048, null, "PEM", "b");
        Path encrypted = KeyGen.generate(tmp, "ed25519", 0, "a passphrase", null, "c");
        for (Path key : new Path[] {openssh, pem, encrypted}) {
            String text = Files.readString(key);
            assertThat(read(text).refusal()).as(text.lines().findFirst().orElse("")).isEqualTo(KeyPaste.Refusal.PRIVATE_KEY);
            assertThat(read(KeyGen.publicLine(key) + "\n" + text).refusal()).as("with its public key before it")
                    .isEqualTo(KeyPaste.Refusal.PRIVATE_KEY);
        }
        String body = Files.readString(openssh).lines().filter(l -> !l.startsWith("-----")).reduce("", String::concat);
        assertThat(read(body).refusal()).as("the OpenSSH body without its armour").isEqualTo(KeyPaste.Refusal.PRIVATE_KEY);
        assertThat(read("PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n").refusal())
                .isEqualTo(KeyPaste.Refusal.PRIVATE_KEY);
    }

    @Test
    void anythingElseIsRefusedForWhatItIs() {
        assertThat(read(null).refusal()).isEqualTo(KeyPaste.Refusal.EMPTY);
        assertThat(read(" \n\t").refusal()).isEqualTo(KeyPaste.Refusal.EMPTY);
        assertThat(read("hunter2").refusal()).isEqualTo(KeyPaste.Refusal.NOT_A_KEY);
        assertThat(read("# only a comment").refusal()).isEqualTo(KeyPaste.Refusal.NOT_A_KEY);
        assertThat(read("ssh-ed25519 AAAA!!notbase64 x").refusal()).isEqualTo(KeyPaste.Refusal.NOT_A_KEY);
        assertThat(read(TestKeys.ED25519 + "\npassword: hunter2").refusal()).as("a key with a stray line")
                .isEqualTo(KeyPaste.Refusal.NOT_A_KEY);
        assertThat(read(TestKeys.ED25519 + "\n" + TestKeys.ED25519_B).refusal()).isEqualTo(KeyPaste.Refusal.SEVERAL_KEYS);
        assertThat(read(TestKeys.ED25519 + " " + "x".repeat(KeyPaste.MAX_LENGTH)).refusal()).isEqualTo(KeyPaste.Refusal.NOT_A_KEY);
        assertThat(read("---- BEGIN SSH2 PUBLIC KEY ----\nAAAA\n---- END SSH2 PUBLIC KEY ----").refusal())
                .isEqualTo(KeyPaste.Refusal.NOT_A_KEY);
    }
}

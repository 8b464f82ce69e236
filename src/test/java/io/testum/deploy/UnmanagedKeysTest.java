package io.testum.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.testum.testing.KeyGen;

/** Reading the lines outside the managed block, and taking them out for settings.unmanaged: remove. */
class UnmanagedKeysTest {

    @TempDir
    Path tmp;

    private String line(String type, int bits, String comment) {
        return KeyGen.publicLine(KeyGen.generate(tmp, type, bits, null, null, comment));
    }

    /** The fingerprint and size ssh-keygen -l prints for a public line. */
    private String[] keygen(String publicLine) throws Exception {
        Path file = tmp.resolve("k" + System.nanoTime() + ".pub");
        java.nio.file.Files.writeString(file, publicLine + "\n");
        return KeyGen.fingerprintLine(file).split("\\s+");
    }

    @Test
    void readsKeysOutsideTheBlockWithOptionsWeaknessAndTheFingerprintsSshKeygenPrints() throws Exception {
        String ed = line("ed25519", 0, "carol@laptop");
        String rsa = line("rsa", 1024, "old-box");
        String dsa = line("dsa", 1024, "older-box");
        String withOptions = line("ecdsa", 384, "erin@ci");
        String inBlock = line("ed25519", 0, "alice@laptop");
        String file = "# hand-written\n" + ed + "\r\n" + ManagedBlock.render(List.of(new ManagedBlock.Line("alice", null, inBlock)))
                + "\n" + rsa + "\n" + dsa + "\n"
                + "from=\"10.0.0.0/8\",command=\"echo a b\",no-pty " + withOptions + "\n"
                + "password: hunter2\n" + "ssh-ed25519 AAAAnotbase64!! x\n";

        UnmanagedKeys.Scan scan = UnmanagedKeys.scan(file.getBytes(StandardCharsets.UTF_8));

        assertThat(scan.keys()).hasSize(4);
        assertThat(scan.unparsed()).isEqualTo(2);
        for (UnmanagedKeys.Found found : scan.keys()) {
            String line = List.of(ed, rsa, dsa, withOptions).stream().filter(l -> l.endsWith(" " + found.key().comment()))
                    .findFirst().orElseThrow();
            String[] printed = keygen(line);
            assertThat(found.key().fingerprint()).as(line).isEqualTo(printed[1]);
            assertThat(found.key().bits()).as(line).isEqualTo(Integer.parseInt(printed[0]));
        }
        assertThat(scan.keys()).extracting(f -> f.key().comment()).containsExactly("carol@laptop", "old-box", "older-box", "erin@ci");
        assertThat(scan.keys()).extracting(UnmanagedKeys.Found::weak).containsExactly(false, true, true, false);
        assertThat(scan.keys()).extracting(UnmanagedKeys.Found::hasFrom).containsExactly(false, false, false, true);
        assertThat(scan.keys().get(3).options()).isEqualTo("from=\"10.0.0.0/8\",command=\"echo a b\",no-pty");
        assertThat(scan.keys().get(1).key().type()).isEqualTo("ssh-rsa");
        assertThat(scan.keys().get(2).key().type()).isEqualTo("ssh-dss");
    }

    @Test
    void aKeyOnTwoLinesCountsOnceAndHasFromOnlyIfEveryLineHasIt() {
        String ed = line("ed25519", 0, "carol@laptop");
        String file = "from=\"10.0.0.1\" " + ed + "\n" + ed + "\n";

        UnmanagedKeys.Scan scan = UnmanagedKeys.scan(file.getBytes(StandardCharsets.UTF_8));

        assertThat(scan.keys()).singleElement().satisfies(f -> {
            assertThat(f.hasFrom()).isFalse();
            assertThat(f.options()).isEqualTo("from=\"10.0.0.1\"");
        });
    }

    @Test
    void anOptionNamedLikeFromInsideAQuotedValueIsNotAFromOption() {
        String ed = line("ed25519", 0, "x");
        UnmanagedKeys.Scan scan = UnmanagedKeys.scan(("command=\"x,from=y\" " + ed + "\n").getBytes(StandardCharsets.UTF_8));

        assertThat(scan.keys()).singleElement().satisfies(f -> assertThat(f.hasFrom()).isFalse());
    }

    @Test
    void removingKeepsTheBlockCommentsBlankLinesAndTheKeptKeyByteForByte() {
        String testum = line("ed25519", 0, "testum-deployer");
        String carol = line("ed25519", 0, "carol@laptop");
        String block = ManagedBlock.render(List.of(new ManagedBlock.Line("alice", null, line("ed25519", 0, "alice"))));
        String file = block + "# keep me\r\n\n" + carol + "\n" + "no-pty " + testum + "\r\n" + "garbage here\n" + carol;
        String testumFingerprint = UnmanagedKeys.fingerprint(testum).orElseThrow();

        byte[] removed = UnmanagedKeys.withoutUnmanaged(file.getBytes(StandardCharsets.UTF_8), Set.of(testumFingerprint));

        assertThat(new String(removed, StandardCharsets.UTF_8)).isEqualTo(block + "# keep me\r\n\n" + "no-pty " + testum + "\r\n");
        assertThat(UnmanagedKeys.scan(removed).keys()).extracting(f -> f.key().fingerprint()).containsExactly(testumFingerprint);
        assertThat(UnmanagedKeys.scan(removed).unparsed()).isZero();
    }

    @Test
    void aFileWithoutUnmanagedLinesIsLeftAsItIs() {
        String block = ManagedBlock.render(List.of(new ManagedBlock.Line("alice", null, line("ed25519", 0, "alice"))));
        byte[] file = (block + "# comment\n").getBytes(StandardCharsets.UTF_8);

        assertThat(UnmanagedKeys.withoutUnmanaged(file, Set.of())).isEqualTo(file);
        assertThat(UnmanagedKeys.scan(file).keys()).isEmpty();
    }

    @Test
    void theValueOfAnEnvironmentOptionIsNeverKeptButItsNameIs() {
        String ed = line("ed25519", 0, "x");
        String text = "no-pty,environment=\"TOKEN=s3cr\\\"et\",Environment=\"B=2\",from=\"10.0.0.1\" " + ed + "\n";

        UnmanagedKeys.Scan scan = UnmanagedKeys.scan(text.getBytes(StandardCharsets.UTF_8));

        assertThat(scan.keys()).singleElement().satisfies(f -> {
            assertThat(f.options()).isEqualTo("no-pty,environment=\"TOKEN=***\",Environment=\"B=***\",from=\"10.0.0.1\"");
            assertThat(f.hasFrom()).isTrue();
        });
    }
}

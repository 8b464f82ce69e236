package io.testum.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ManagedBlockTest {

    private static final String ALICE = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAlice alice@laptop";
    private static final String BOB = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBob bob@desk";
    private static final String BLOCK = ManagedBlock.render(List.of(
            new ManagedBlock.Line("bob", null, BOB),
            new ManagedBlock.Line("alice", "from=\"10.0.0.0/8\",no-agent-forwarding", ALICE)));

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void rendersTheBlockAsTheSpecShowsItSortedByKeyName() {
        assertEquals("# BEGIN TESTUM MANAGED KEYS\n"
                + "from=\"10.0.0.0/8\",no-agent-forwarding " + ALICE + "\n"
                + BOB + "\n"
                + "# END TESTUM MANAGED KEYS\n", BLOCK);
        assertEquals("# BEGIN TESTUM MANAGED KEYS\n# END TESTUM MANAGED KEYS\n", ManagedBlock.render(List.of()));
    }

    @Test
    void writesALineGrantedTwiceOnce() {
        String block = ManagedBlock.render(List.of(new ManagedBlock.Line("a", null, ALICE), new ManagedBlock.Line("a", null, ALICE)));
        assertEquals(1, ManagedBlock.lines(block).size());
    }

    @Test
    void putsTheBlockFirstAndKeepsEveryOtherByteOfAFileWithoutOne() {
        String file = "# my own keys\r\nssh-rsa AAAA mine\r\n\r\nssh-ed25519 AAAA last-line-without-newline";
        byte[] merged = ManagedBlock.merge(bytes(file), BLOCK, false);
        assertArrayEquals(bytes(BLOCK + file), merged);
    }

    @Test
    void replacesAnExistingBlockInPlace() {
        String before = "# top\nssh-rsa AAAA mine\n";
        String after = "\n# bottom, no newline";
        String old = "# BEGIN TESTUM MANAGED KEYS\r\nssh-ed25519 AAAA old\r\n# END TESTUM MANAGED KEYS\r\n";
        assertArrayEquals(bytes(before + BLOCK + after), ManagedBlock.merge(bytes(before + old + after), BLOCK, false));
        assertEquals(Optional.of("# BEGIN TESTUM MANAGED KEYS\nssh-ed25519 AAAA old\n# END TESTUM MANAGED KEYS\n"),
                ManagedBlock.extract(bytes(before + old + after)));
    }

    @Test
    void mergingTwiceChangesNothing() {
        byte[] once = ManagedBlock.merge(bytes("x\n"), BLOCK, false);
        assertArrayEquals(once, ManagedBlock.merge(once, BLOCK, false));
    }

    @Test
    void writesOnlyTheBlockInExclusiveMode() {
        assertArrayEquals(bytes(BLOCK), ManagedBlock.merge(bytes("ssh-rsa AAAA someone\n"), BLOCK, true));
    }

    @Test
    void refusesAFileWhoseBlockHasNoEnd() {
        var e = assertThrows(ManagedBlock.MalformedFileException.class,
                () -> ManagedBlock.merge(bytes("a\n# BEGIN TESTUM MANAGED KEYS\nssh-rsa AAAA x\n"), BLOCK, false));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertThrows(ManagedBlock.MalformedFileException.class, () -> ManagedBlock.merge(
                bytes("# BEGIN TESTUM MANAGED KEYS\n# BEGIN TESTUM MANAGED KEYS\n# END TESTUM MANAGED KEYS\n"), BLOCK, false));
    }

    @Test
    void hashesTheBlockAsTheSha256OfItsUtf8BytesInLowercaseHex() {
        // the expected values are sha256sum's of the same bytes (printf '...' | sha256sum)
        assertEquals("# BEGIN TESTUM MANAGED KEYS\n"
                + "from=\"10.0.0.0/8\",no-agent-forwarding " + ALICE + "\n"
                + BOB + "\n"
                + "# END TESTUM MANAGED KEYS\n", BLOCK);
        assertEquals("ca49bbbfe4409c4ccf3c1eb62a4f00041015e2e24ea1ee186f59bf05552ab8dc", ManagedBlock.hash(BLOCK));
        assertEquals("bc961ad96bf4482c925721dac89fee3d8bf24becb740596d4d8ecee1faaec935",
                ManagedBlock.hash(ManagedBlock.render(List.of())));
    }
}

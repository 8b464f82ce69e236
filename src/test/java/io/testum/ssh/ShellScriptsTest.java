package io.testum.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The transport's shell commands run by real shells (dash, BusyBox ash), with the tools a host may
 * have (GNU coreutils, BusyBox applets, only md5sum, only POSIX cksum), without SSH: the exact
 * command line, content on standard input, the answer parsed as {@link ShellFiles} parses it.
 */
class ShellScriptsTest {

    /** The shell and tools a host offers. */
    enum Host {
        /** Debian: dash, GNU coreutils. */
        DASH_COREUTILS,
        /** BusyBox ash and applets only. */
        BUSYBOX,
        /** dash with GNU tools but no SHA-256 tool: the digest is md5sum's. */
        MD5_ONLY,
        /** dash with GNU tools and only POSIX cksum. */
        CKSUM_ONLY
    }

    @TempDir
    Path tmp;

    private Path home;
    private Path secret;
    private final FileLocation location = new FileLocation("~/.ssh/authorized_keys", System.getProperty("user.name"), false);

    @BeforeEach
    void setUp() throws IOException {
        home = Files.createDirectory(tmp.resolve("home"));
        secret = tmp.resolve("secret");
        Files.writeString(secret, "SECRET-LINE-of-another-file\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    }

    /** The command's exit status, standard output and standard error. */
    record Run(int exit, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private Path bin(Host host) throws IOException {
        Path bin = tmp.resolve("bin-" + host);
        if (Files.exists(bin)) {
            return bin;
        }
        Files.createDirectories(bin);
        if (host == Host.BUSYBOX) {
            run(List.of("/bin/busybox", "--install", "-s", bin.toString()), null, null);
            return bin;
        }
        List<String> tools = new ArrayList<>(List.of("sh", "cat", "mv", "rm", "mkdir", "sync", "cut", "awk", "id"));
        tools.add(switch (host) {
            case MD5_ONLY -> "md5sum";
            case CKSUM_ONLY -> "cksum";
            default -> "sha256sum";
        });
        for (String tool : tools) {
            String path = run(List.of("sh", "-c", "command -v " + tool), null, null).out().strip();
            Files.createSymbolicLink(bin.resolve(tool), Path.of(path));
        }
        return bin;
    }

    private Run run(List<String> command, byte[] stdin, Path path) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
            if (path != null) {
                builder.environment().put("PATH", path.toString());
            }
            Process p = builder.start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            } catch (IOException stoppedReading) {
                // the command ended before it read all of its input, as a refusing one does
            }
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            return new Run(p.exitValue(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs a command as the login shell would: {@code <shell> -c <command>}. */
    private Run onHost(Host host, String command, byte[] stdin) throws IOException {
        Path bin = bin(host);
        String shell = host == Host.BUSYBOX ? bin.resolve("ash").toString() : "/bin/dash";
        return run(List.of(shell, "-c", command), stdin, bin);
    }

    private static String answer(Run run, String nonce) {
        String marker = ShellScripts.ANSWER + nonce + " ";
        String out = run.out();
        int at = out.indexOf(marker);
        assertTrue(at >= 0, "no answer in " + out + " / " + run.stderr());
        return out.substring(at + marker.length(), out.indexOf('\n', at));
    }

    private Run read(Host host) throws IOException {
        return onHost(host, ShellScripts.read(location, "n1"), null);
    }

    private Run replace(Host host, byte[] expected, byte[] content) throws IOException {
        String digest = expected == null ? FileDigests.ABSENT : FileDigests.of(expected);
        return onHost(host, ShellScripts.replace(location, "n2", ".ssh/.authorized_keys.testum-n2", digest,
                FileDigests.of(content)), content);
    }

    private Path file() {
        return home.resolve(".ssh/authorized_keys");
    }

    private List<String> sshDirectory() throws IOException {
        try (Stream<Path> files = Files.list(home.resolve(".ssh"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @ParameterizedTest
    @EnumSource(Host.class)
    void createsTheDirectoryAndFileThenReplacesOnlyWhatItRead(Host host) throws IOException {
        Run absent = read(host);
        assertEquals(0, absent.exit(), absent.stderr());
        assertEquals("absent", answer(absent, "n1"));

        byte[] first = "# BEGIN\nssh-ed25519 AAAA first\n# END\nno newline at the end".getBytes(StandardCharsets.UTF_8);
        Run created = replace(host, null, first);
        assertEquals("replaced", answer(created, "n2"), created.stderr());
        assertArrayEquals(first, Files.readAllBytes(file()));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file().getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file())));

        Run present = read(host);
        assertEquals("present", answer(present, "n1"));
        String out = present.out();
        assertEquals(new String(first, StandardCharsets.UTF_8), out.substring(out.indexOf('\n') + 1));

        byte[] second = "second\r\n".getBytes(StandardCharsets.UTF_8);
        Run stale = replace(host, "not what is there".getBytes(StandardCharsets.UTF_8), second);
        assertEquals("changed", answer(stale, "n2"));
        assertArrayEquals(first, Files.readAllBytes(file()), "a file that changed since the read is left alone");
        Run notAbsent = replace(host, null, second);
        assertEquals("changed", answer(notAbsent, "n2"));

        Run replaced = replace(host, first, second);
        assertEquals("replaced", answer(replaced, "n2"));
        assertArrayEquals(second, Files.readAllBytes(file()));
        assertEquals(List.of("authorized_keys"), sshDirectory(), "no temporary file is left");

        Run removed = onHost(host, ShellScripts.remove(location, "n3", FileDigests.of(second)), null);
        assertEquals("replaced", answer(removed, "n3"), removed.stderr());
        assertFalse(Files.exists(file()));
    }

    @ParameterizedTest
    @EnumSource(Host.class)
    void refusesALinkedFileOrDirectoryWithoutReadingThroughIt(Host host) throws IOException {
        Files.createDirectories(home.resolve(".ssh"));
        Files.createSymbolicLink(file(), secret);
        Run read = read(host);
        assertEquals(ShellScripts.REFUSED, read.exit());
        assertFalse(read.out().contains("SECRET") || read.stderr().contains("SECRET"), read.out() + read.stderr());
        SshFailure failure = ShellScripts.failure(location, read.exit(), read.stderr());
        assertEquals(SshFailure.Kind.REFUSED, failure.kind());
        assertTrue(failure.getMessage().startsWith("~/.ssh/authorized_keys is a symbolic link"), failure.getMessage());

        Run write = replace(host, "SECRET-LINE-of-another-file\n".getBytes(StandardCharsets.UTF_8), "x\n".getBytes());
        assertEquals(ShellScripts.REFUSED, write.exit(), write.out() + write.stderr());
        assertEquals("SECRET-LINE-of-another-file\n", Files.readString(secret));
        assertTrue(Files.isSymbolicLink(file()));
        assertEquals(List.of("authorized_keys"), sshDirectory(), "no temporary file is left");

        io.testum.testing.SshFleet.deleteTree(home.resolve(".ssh"));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("authorized_keys"), "SECRET-LINE-of-another-file\n");
        Files.createSymbolicLink(home.resolve(".ssh"), elsewhere);
        Run linkedDirectory = read(host);
        assertEquals(ShellScripts.REFUSED, linkedDirectory.exit());
        assertTrue(ShellScripts.failure(location, linkedDirectory.exit(), linkedDirectory.stderr()).getMessage()
                .startsWith("~/.ssh is a symbolic link"));
        Run writeLinkedDirectory = replace(host, null, "x\n".getBytes());
        assertEquals(ShellScripts.REFUSED, writeLinkedDirectory.exit());
        assertEquals(List.of("authorized_keys"), io.testum.testing.SshFleet.listing(elsewhere));
    }

    @ParameterizedTest
    @EnumSource(Host.class)
    void renamesNothingWhenTheContentArrivedIncomplete(Host host) throws IOException {
        byte[] first = "first\n".getBytes(StandardCharsets.UTF_8);
        replace(host, null, first);
        byte[] whole = "the whole new content\n".getBytes(StandardCharsets.UTF_8);
        Run cut = onHost(host, ShellScripts.replace(location, "n4", ".ssh/.authorized_keys.testum-n4", FileDigests.of(first),
                FileDigests.of(whole)), "the whole".getBytes(StandardCharsets.UTF_8));
        assertEquals(ShellScripts.FAILED, cut.exit());
        assertTrue(ShellScripts.failure(location, cut.exit(), cut.stderr()).getMessage().contains("did not receive all"));
        assertArrayEquals(first, Files.readAllBytes(file()));
        assertEquals(List.of("authorized_keys"), sshDirectory());
    }

    @ParameterizedTest
    @EnumSource(Host.class)
    void removesWhatAnInterruptedWriteLeft(Host host) throws IOException {
        replace(host, null, "first\n".getBytes(StandardCharsets.UTF_8));
        Files.writeString(home.resolve(".ssh/.authorized_keys.testum-0123"), "left over");
        Files.createSymbolicLink(home.resolve(".ssh/.authorized_keys.testum-4567"), secret);
        replace(host, "first\n".getBytes(StandardCharsets.UTF_8), "second\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("authorized_keys"), sshDirectory());
        assertEquals("SECRET-LINE-of-another-file\n", Files.readString(secret));
    }

    @ParameterizedTest
    @EnumSource(Host.class)
    void refusesAFileOfAnotherOwner(Host host) throws IOException {
        replace(host, null, "first\n".getBytes(StandardCharsets.UTF_8));
        run(List.of("chown", "nobody", file().toString()), null, null);
        Run read = read(host);
        assertEquals(ShellScripts.REFUSED, read.exit());
        assertTrue(ShellScripts.failure(location, read.exit(), read.stderr()).getMessage()
                .startsWith("~/.ssh/authorized_keys is not owned by"));
    }

    @org.junit.jupiter.api.Test
    void writesAnAbsolutePathInAnExistingDirectoryOnly() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("etc-keys"));
        FileLocation absolute = new FileLocation(dir.resolve("deploy").toString(), System.getProperty("user.name"), false);
        Run read = onHost(Host.DASH_COREUTILS, ShellScripts.read(absolute, "n5"), null);
        assertEquals("absent", answer(read, "n5"));
        byte[] content = "k\n".getBytes(StandardCharsets.UTF_8);
        Run write = onHost(Host.DASH_COREUTILS, ShellScripts.replace(absolute, "n6", dir + "/.deploy.testum-n6",
                FileDigests.ABSENT, FileDigests.of(content)), content);
        assertEquals("replaced", answer(write, "n6"), write.stderr());
        assertArrayEquals(content, Files.readAllBytes(dir.resolve("deploy")));
        FileLocation missing = new FileLocation(tmp.resolve("nowhere/deploy").toString(), System.getProperty("user.name"), false);
        Run nowhere = onHost(Host.DASH_COREUTILS, ShellScripts.replace(missing, "n7", tmp + "/nowhere/.deploy.testum-n7",
                FileDigests.ABSENT, FileDigests.of(content)), content);
        assertEquals(ShellScripts.FAILED, nowhere.exit());
    }

    @org.junit.jupiter.api.Test
    void refusesPathsAndNamesThatWouldNeedQuoting() {
        for (String path : List.of("~/.ssh/a b", "~/.ssh/$(id)", "~/../etc/passwd", "relative/keys", "~/.ssh/'x'", "~/.ssh/x\"y",
                "~/.ssh/`id`", "~/.ssh/a;b", "~/.ssh/", "~/.ssh//x", "~/.ssh/*", "~/.ssh/a\\b")) {
            assertEquals(SshFailure.Kind.REFUSED, assertThrows(SshFailure.class, () -> new FileLocation(path, "deploy", false))
                    .kind(), path);
        }
        for (String user : List.of("-u", "a b", "$(id)", "a'b", "")) {
            assertThrows(SshFailure.class, () -> new FileLocation("~/.ssh/authorized_keys", user, true), user);
        }
    }

    @org.junit.jupiter.api.Test
    void computesTheDigestsEveryToolPrints() throws IOException {
        for (byte[] content : List.of(new byte[0], "a".getBytes(), "ssh-ed25519 AAAA x\n".repeat(300).getBytes())) {
            Path f = Files.write(tmp.resolve("digest"), content);
            String sha = run(List.of("sha256sum", f.toString()), null, null).out().split(" ")[0];
            String md5 = run(List.of("md5sum", f.toString()), null, null).out().split(" ")[0];
            String[] ck = run(List.of("cksum", f.toString()), null, null).out().split(" ");
            assertEquals("sha256:" + sha + " md5:" + md5 + " cksum:" + ck[0] + "-" + ck[1], FileDigests.of(content));
        }
    }
}

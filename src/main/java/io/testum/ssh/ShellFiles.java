package io.testum.ssh;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * {@link RemoteFiles} through the host's POSIX shell: a read is one command, a replace is one
 * command that takes the new content on standard input, so a host needs nothing but {@code sh}
 * and the basic tools (OpenSSH, dropbear, BusyBox). The commands are {@link ShellScripts}; every
 * value in them is checked by {@link FileLocation} or made here (a nonce, digests), and the
 * file's content never appears in a command line. When testum is root acting for another
 * account, the commands run as that account, so the account's own rights bound what they can do.
 */
final class ShellFiles implements RemoteFiles {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_STDERR = 4096;

    private final SshConnection connection;

    ShellFiles(SshConnection connection) {
        this.connection = connection;
    }

    @Override
    public RemoteFile read(FileLocation location) {
        String nonce = nonce();
        ExecResult result = connection.exec(ShellScripts.read(location, nonce), null, TIMEOUT,
                SshConnection.MAX_FILE_BYTES + 1024);
        Answer answer = answer(location, result, nonce, "read");
        if (answer.state().equals("absent")) {
            return RemoteFile.absent(location.path());
        }
        if (!answer.state().equals("present")) {
            throw unexpected(location, result, "read");
        }
        byte[] content = Arrays.copyOfRange(result.stdout(), answer.contentStart(), result.stdout().length);
        if (content.length > SshConnection.MAX_FILE_BYTES) {
            throw new SshFailure(SshFailure.Kind.FAILED, location.path() + " holds more than " + SshConnection.MAX_FILE_BYTES
                    + " bytes; testum does not manage files that large");
        }
        return new RemoteFile(location.path(), true, content);
    }

    @Override
    public Outcome replace(FileLocation location, RemoteFile expected, byte[] content, Runnable whileSending) {
        String nonce = nonce();
        String temp = location.directory() + "/." + location.name() + ShellScripts.TEMP_MARKER + nonce;
        ExecResult result = connection.exec(ShellScripts.replace(location, nonce, temp, digest(expected),
                FileDigests.of(content)), content, TIMEOUT, 1024, MAX_STDERR, whileSending);
        return outcome(location, result, nonce, "write");
    }

    @Override
    public Outcome remove(FileLocation location, RemoteFile expected) {
        String nonce = nonce();
        ExecResult result = connection.exec(ShellScripts.remove(location, nonce, digest(expected)), null, TIMEOUT, 1024);
        return outcome(location, result, nonce, "remove");
    }

    private Outcome outcome(FileLocation location, ExecResult result, String nonce, String what) {
        Answer answer = answer(location, result, nonce, what);
        return switch (answer.state()) {
            case "replaced" -> Outcome.REPLACED;
            case "changed" -> Outcome.CHANGED;
            default -> throw unexpected(location, result, what);
        };
    }

    private static String digest(RemoteFile expected) {
        return expected.exists() ? FileDigests.of(expected.content()) : FileDigests.ABSENT;
    }

    /** The answer line {@code testum-file:<nonce> <state>}, and where the bytes after it start. */
    private record Answer(String state, int contentStart) {
    }

    private Answer answer(FileLocation location, ExecResult result, String nonce, String what) {
        if (result.timedOut()) {
            throw new SshFailure(SshFailure.Kind.TIMEOUT, "The " + what + " of " + location.path() + " did not finish within "
                    + TIMEOUT.toSeconds() + " s");
        }
        Integer exit = result.exitCode();
        if (exit != null && (exit == ShellScripts.REFUSED || exit == ShellScripts.FAILED)) {
            throw ShellScripts.failure(location, exit, result.stderrText());
        }
        byte[] marker = (ShellScripts.ANSWER + nonce + " ").getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(result.stdout(), marker);
        if (exit == null || exit != 0 || at < 0) {
            throw unexpected(location, result, what);
        }
        int end = at + marker.length;
        int newline = end;
        while (newline < result.stdout().length && result.stdout()[newline] != '\n') {
            newline++;
        }
        if (newline >= result.stdout().length) {
            throw unexpected(location, result, what);
        }
        return new Answer(new String(result.stdout(), end, newline - end, StandardCharsets.US_ASCII), newline + 1);
    }

    /**
     * The host did not answer as testum's command does: a forced command ({@code command=},
     * {@code ForceCommand}), a shell that is not POSIX, a tool that failed. The message carries
     * the host's error output (never the file: a read's standard output is not quoted).
     */
    private SshFailure unexpected(FileLocation location, ExecResult result, String what) {
        if (!connection.isOpen()) {
            return new SshFailure(SshFailure.Kind.UNREACHABLE, "The " + what + " of " + location.path()
                    + " did not finish: the connection was lost");
        }
        String exit = result.exitCode() == null ? "no exit status" : "exit status " + result.exitCode();
        String stderr = ShellScripts.excerpt(result.stderrText());
        return new SshFailure(SshFailure.Kind.FAILED, "The " + what + " of " + location.path() + " did not run as testum's "
                + "command does (" + exit + (stderr.isEmpty() ? "" : ": " + stderr) + "); is a forced command (command= "
                + "or ForceCommand) set for testum's login, or is sh missing?");
    }

    private static String nonce() {
        byte[] random = new byte[12];
        // A SecureRandom per nonce, not one in a static field: a native image initializes this class
        // while it is built, and a generator made then would be in the image with its seed.
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

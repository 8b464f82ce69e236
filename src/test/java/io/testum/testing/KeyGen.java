package io.testum.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keys made by the real OpenSSH {@code ssh-keygen}, the tool operators use, so tests compare
 * testum against it rather than against itself.
 */
public final class KeyGen {

    private KeyGen() {
    }

    /** A fresh key pair; returns the private key file (the public one is beside it, with .pub). */
    public static Path generate(Path dir, String type, int bits, String passphrase, String format, String comment) {
        Path file = dir.resolve(type + "-" + bits + "-" + System.nanoTime());
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", passphrase == null ? "" : passphrase,
                "-C", comment, "-f", file.toString()));
        if (bits > 0) {
            cmd.addAll(List.of("-b", Integer.toString(bits)));
        }
        if (format != null) {
            cmd.addAll(List.of("-m", format));
        }
        run(cmd);
        return file;
    }

    public static String publicLine(Path privateKey) {
        return read(Path.of(privateKey + ".pub")).strip();
    }

    /** What {@code ssh-keygen -l} prints: "bits SHA256:... comment (TYPE)". */
    public static String fingerprintLine(Path publicKeyFile) {
        return run(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", publicKeyFile.toString())).strip();
    }

    /** The "type base64" that {@code ssh-keygen -y} derives from a private key file, without the comment. */
    public static String derivePublic(Path privateKey) {
        return withoutComment(run(List.of("ssh-keygen", "-y", "-P", "", "-f", privateKey.toString())));
    }

    /** The first two fields of a public key line: type and base64. */
    public static String withoutComment(String line) {
        String[] parts = line.strip().split("\\s+");
        return parts[0] + " " + parts[1];
    }

    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package io.testum.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Files named on the command line, {@code -} meaning standard input. */
final class Files {

    private Files() {
    }

    /** A file's text, or standard input's for {@code -}. */
    static String text(String file, Terminal t) {
        return new String(bytes(file, t), StandardCharsets.UTF_8);
    }

    /**
     * A secret from a file, or from standard input for {@code -}: a password or passphrase without its
     * line end. Secrets are read from files and pipes, never from the command line, where shell history
     * and the process list would keep them.
     */
    static String secret(String file, Terminal t) {
        String text = text(file, t);
        if (text.endsWith("\r\n")) {
            return text.substring(0, text.length() - 2);
        }
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    /** A file's bytes, or standard input's for {@code -}. */
    static byte[] bytes(String file, Terminal t) {
        try {
            return "-".equals(file) ? t.in().readAllBytes() : java.nio.file.Files.readAllBytes(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("cannot read " + file + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}

package io.testum.deploy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

import io.testum.common.Sha256;

/**
 * The part of an authorized_keys file that testum owns (SPEC §5):
 *
 * <pre>
 * # BEGIN TESTUM MANAGED KEYS
 * from="10.0.0.0/8",no-agent-forwarding ssh-ed25519 AAAA... alice@laptop
 * ssh-ed25519 AAAA... bob@desk
 * # END TESTUM MANAGED KEYS
 * </pre>
 *
 * Rendering sorts lines by key name. Merging replaces the block and keeps every other byte of the
 * file as it was: comments, blank lines, CRLF endings, a last line without a newline. A file
 * without a block gets it at the top, so that nothing after it changes.
 */
public final class ManagedBlock {

    public static final String BEGIN = "# BEGIN TESTUM MANAGED KEYS";
    public static final String END = "# END TESTUM MANAGED KEYS";

    private ManagedBlock() {
    }

    /** One key in the block: the key's name (for ordering), its options (or null), its public line. */
    public record Line(String keyName, String options, String publicKey) {

        String text() {
            return options == null || options.isBlank() ? publicKey : options + " " + publicKey;
        }
    }

    /** The block for these lines, sorted by key name, identical lines once, with one trailing newline. */
    public static String render(List<Line> lines) {
        List<Line> sorted = new ArrayList<>(lines);
        sorted.sort(Comparator.comparing(Line::keyName).thenComparing(Line::text));
        LinkedHashSet<String> texts = new LinkedHashSet<>();
        sorted.forEach(l -> texts.add(l.text()));
        StringBuilder out = new StringBuilder(BEGIN).append('\n');
        texts.forEach(t -> out.append(t).append('\n'));
        return out.append(END).append('\n').toString();
    }

    /** SHA-256 of the block, in hex. */
    public static String hash(String block) {
        return Sha256.hex(block);
    }

    /** A file whose block testum cannot find the end of: it is not touched. */
    public static final class MalformedFileException extends RuntimeException {
        MalformedFileException(String message) {
            super(message);
        }
    }

    /** Where the block sits in a file: byte offsets of its first byte and of the byte after its end line. */
    record Span(int start, int end) {
    }

    /**
     * The file with {@code block} in place of the managed block.
     *
     * @param exclusive true: the file is the block alone
     * @throws MalformedFileException when a BEGIN marker has no END
     */
    public static byte[] merge(byte[] file, String block, boolean exclusive) {
        byte[] blockBytes = block.getBytes(StandardCharsets.UTF_8);
        if (exclusive) {
            return blockBytes;
        }
        Optional<Span> span = find(file);
        ByteArrayOutputStream out = new ByteArrayOutputStream(file.length + blockBytes.length);
        if (span.isEmpty()) {
            out.writeBytes(blockBytes);
            out.writeBytes(file);
        } else {
            out.write(file, 0, span.get().start());
            out.writeBytes(blockBytes);
            out.write(file, span.get().end(), file.length - span.get().end());
        }
        return out.toByteArray();
    }

    /** The block as it stands in the file (normalized to LF line ends), if the file has one. */
    public static Optional<String> extract(byte[] file) {
        return find(file).map(span -> new String(file, span.start(), span.end() - span.start(), StandardCharsets.UTF_8)
                .replace("\r\n", "\n"))
                .map(text -> text.endsWith("\n") ? text : text + "\n");
    }

    /** The key lines of a block, without the markers. */
    public static List<String> lines(String block) {
        return block.lines().filter(l -> !l.equals(BEGIN) && !l.equals(END)).toList();
    }

    /**
     * Where the block sits in {@code file}, if it has one.
     *
     * @throws MalformedFileException when a BEGIN marker has no END
     */
    static Optional<Span> find(byte[] file) {
        int offset = 0;
        int begin = -1;
        int lineNumber = 0;
        int beginLine = 0;
        while (offset < file.length) {
            int newline = indexOf(file, (byte) '\n', offset);
            int lineEnd = newline < 0 ? file.length : newline;
            int next = newline < 0 ? file.length : newline + 1;
            String line = new String(file, offset, lineEnd - offset, StandardCharsets.UTF_8);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            lineNumber++;
            String marker = line.strip();
            if (begin < 0 && marker.equals(BEGIN)) {
                begin = offset;
                beginLine = lineNumber;
            } else if (begin >= 0 && marker.equals(END)) {
                return Optional.of(new Span(begin, next));
            } else if (begin >= 0 && marker.equals(BEGIN)) {
                throw new MalformedFileException("a second '" + BEGIN + "' at line " + lineNumber
                        + " before the end of the block that starts at line " + beginLine);
            }
            offset = next;
        }
        if (begin >= 0) {
            throw new MalformedFileException("'" + BEGIN + "' at line " + beginLine + " has no '" + END
                    + "'; fix the file by hand, testum does not guess where its block ends");
        }
        return Optional.empty();
    }

    private static int indexOf(byte[] bytes, byte value, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }
}

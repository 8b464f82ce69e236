package io.testum.deploy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.testum.ssh.PublicKeyInfo;
import io.testum.ssh.SshKeys;

/**
 * The lines of an authorized_keys file outside testum's managed block (merge mode), read with the
 * same key parser as the keys testum grants, but without its policy, so that a weak key is read
 * and flagged rather than refused. A line is {@code [options] type base64 [comment]}; blank lines
 * and {@code #} comments grant nothing and are skipped; a line that does not read as a public key
 * is only counted: it may hold anything the host's owner wrote, and testum neither stores nor
 * returns it.
 */
public final class UnmanagedKeys {

    /** Longest comment or options text kept; longer ones are cut (with an ellipsis). */
    static final int MAX_TEXT = 1024;

    private UnmanagedKeys() {
    }

    /**
     * One key outside the block.
     *
     * @param options the options before the key, as written, or null
     * @param hasFrom whether the options hold {@code from=}
     */
    public record Found(PublicKeyInfo key, String options, boolean hasFrom) {

        /** Weak for an auditor: DSA of any size, RSA under 2048 bits. */
        public boolean weak() {
            return "ssh-dss".equals(key.type()) || "ssh-rsa".equals(key.type()) && key.bits() < SshKeys.MIN_RSA_BITS;
        }
    }

    /**
     * What the lines outside the block hold: each key once (by fingerprint; the first line that
     * carries it gives its options and comment, and {@code from=} counts only if every line of it
     * has one), and how many non-blank, non-comment lines did not read as a key.
     */
    public record Scan(List<Found> keys, int unparsed) {
    }

    /** A line outside the block: its bytes' span, and the key it carries, if any. */
    private record Line(int start, int end, String text, Found key) {

        boolean grantsNothing() {
            String t = text.strip();
            return t.isEmpty() || t.startsWith("#");
        }
    }

    /**
     * Reads the lines outside the managed block.
     *
     * @throws ManagedBlock.MalformedFileException when a BEGIN marker has no END
     */
    public static Scan scan(byte[] file) {
        Map<String, Found> keys = new LinkedHashMap<>();
        int unparsed = 0;
        for (Line line : outside(file)) {
            if (line.key() != null) {
                keys.merge(line.key().key().fingerprint(), line.key(),
                        (a, b) -> new Found(a.key(), a.options(), a.hasFrom() && b.hasFrom()));
            } else if (!line.grantsNothing()) {
                unparsed++;
            }
        }
        return new Scan(List.copyOf(keys.values()), unparsed);
    }

    /**
     * The file without the lines outside the block that could let someone in: every key line and
     * every line that does not read as a key, except those carrying a key in {@code keep} (by
     * fingerprint: testum's own login key). The block, blank lines and comments stay byte for byte.
     */
    static byte[] withoutUnmanaged(byte[] file, Set<String> keep) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(file.length);
        int offset = 0;
        for (Line line : outside(file)) {
            boolean stays = line.grantsNothing() || line.key() != null && keep.contains(line.key().key().fingerprint());
            if (!stays) {
                out.write(file, offset, line.start() - offset);
                offset = line.end();
            }
        }
        out.write(file, offset, file.length - offset);
        return out.toByteArray();
    }

    /** The fingerprint of {@code line} ({@code type base64 [comment]}), if it reads as a key. */
    static Optional<String> fingerprint(String line) {
        try {
            return Optional.of(SshKeys.readPublicKey(line).fingerprint());
        } catch (RuntimeException e) { // InvalidKeyException, or anything else a stranger's line makes the parser throw
            return Optional.empty();
        }
    }

    private static List<Line> outside(byte[] file) {
        Optional<ManagedBlock.Span> block = ManagedBlock.find(file);
        List<Line> lines = new ArrayList<>();
        int offset = 0;
        while (offset < file.length) {
            if (block.isPresent() && offset == block.get().start()) {
                offset = block.get().end();
                continue;
            }
            int newline = offset;
            while (newline < file.length && file[newline] != '\n') {
                newline++;
            }
            int next = newline < file.length ? newline + 1 : file.length;
            String text = new String(file, offset, newline - offset, StandardCharsets.UTF_8);
            lines.add(new Line(offset, next, text, read(text)));
            offset = next;
        }
        return lines;
    }

    /**
     * The key an authorized_keys line carries ({@code [options] type base64 [comment]}), read as
     * the lines outside the block are: weak keys are read, not refused. Empty for a blank line, a
     * comment, or anything that is not such a line.
     */
    public static Optional<PublicKeyInfo> keyOf(String line) {
        return Optional.ofNullable(line == null ? null : read(line)).map(Found::key);
    }

    /** The key a line carries, or null. */
    static Found read(String raw) {
        String text = raw.strip();
        if (text.isEmpty() || text.startsWith("#")) {
            return null;
        }
        String options = null;
        String rest = text;
        String first = text.split("\\s+", 2)[0];
        if (!looksLikeType(first)) {
            int end = optionsEnd(text);
            if (end < 0 || end >= text.length()) {
                return null;
            }
            options = text.substring(0, end);
            rest = text.substring(end).strip();
        }
        try {
            PublicKeyInfo key = SshKeys.readPublicKey(rest);
            PublicKeyInfo kept = new PublicKeyInfo(key.type(), key.bits(), key.fingerprint(), key.data(), cut(key.comment()));
            return new Found(kept, cut(redacted(options)), options != null && hasFrom(options));
        } catch (RuntimeException e) { // InvalidKeyException, or anything else a stranger's line makes the parser throw
            return null;
        }
    }

    private static boolean looksLikeType(String token) {
        return SshKeys.ACCEPTED_TYPES.contains(token) || "ssh-dss".equals(token);
    }

    /** The index of the first whitespace outside double quotes (where sshd's options end), or -1. */
    private static int optionsEnd(String text) {
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quoted && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == ' ' || c == '\t')) {
                return i;
            }
        }
        return -1;
    }

    private static boolean hasFrom(String options) {
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i <= options.length(); i++) {
            char c = i < options.length() ? options.charAt(i) : ',';
            if (c == '\\' && quoted && i + 1 < options.length() && options.charAt(i + 1) == '"') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                if (options.regionMatches(true, start, "from=", 0, 5)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    /**
     * The options with the value of each {@code environment="NAME=value"} replaced by {@code ***}:
     * a host's owner may pass a token that way, and viewers read these options. The name stays,
     * so an auditor still sees that the key sets it.
     */
    static String redacted(String options) {
        if (options == null) {
            return null;
        }
        return ENVIRONMENT.matcher(options).replaceAll("$1***\"");
    }

    private static final java.util.regex.Pattern ENVIRONMENT = java.util.regex.Pattern.compile(
            "((?i:environment)=\"[^=\"]*=)(?:[^\"\\\\]|\\\\.)*\"");

    private static String cut(String text) {
        if (text == null || text.length() <= MAX_TEXT) {
            return text;
        }
        return text.substring(0, MAX_TEXT) + "…";
    }
}

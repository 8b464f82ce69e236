package io.testum.runs;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One stream (stdout or stderr) of one host: keeps at most {@code max} bytes for the result and
 * passes the same bytes on as output events, cut at UTF-8 character boundaries so no character
 * is split between two events.
 */
final class HostOutput extends OutputStream {

    private final String platform;
    private final String stream;
    private final int max;
    private final RunJournal journal;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private byte[] partial = new byte[0];
    private boolean truncated;

    HostOutput(String platform, String stream, int max, RunJournal journal) {
        this.platform = platform;
        this.stream = stream;
        this.max = max;
        this.journal = journal;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int room = max - kept.size();
        int keep = Math.max(0, Math.min(room, len));
        if (keep < len) {
            truncated = true;
        }
        if (keep == 0) {
            return;
        }
        kept.write(b, off, keep);
        byte[] chunk = new byte[partial.length + keep];
        System.arraycopy(partial, 0, chunk, 0, partial.length);
        System.arraycopy(b, off, chunk, partial.length, keep);
        int cut = completeLength(chunk);
        partial = Arrays.copyOfRange(chunk, cut, chunk.length);
        emit(chunk, cut);
    }

    /** Passes on a character the stream ended in the middle of. */
    @Override
    public synchronized void flush() {
        if (partial.length > 0) {
            emit(partial, partial.length);
            partial = new byte[0];
        }
    }

    private void emit(byte[] bytes, int length) {
        if (length > 0) {
            journal.add(RunEvent.output(platform, stream, text(bytes, length)));
        }
    }

    synchronized byte[] bytes() {
        return kept.toByteArray();
    }

    synchronized boolean truncated() {
        return truncated;
    }

    /** UTF-8 text that PostgreSQL accepts: malformed bytes and NUL become U+FFFD. */
    static String text(byte[] bytes, int length) {
        return new String(bytes, 0, length, StandardCharsets.UTF_8).replace('\u0000', '\uFFFD');
    }

    /** The length of the longest prefix that does not end inside a UTF-8 sequence. */
    static int completeLength(byte[] bytes) {
        int end = bytes.length;
        for (int i = end - 1; i >= Math.max(0, end - 4); i--) {
            int b = bytes[i] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue;
            }
            int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return i + needed > end ? i : end;
        }
        return end;
    }
}

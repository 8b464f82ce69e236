package io.testum.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A remote command that testum can stop even where the server ignores the SSH {@code signal}
 * request (OpenSSH before 7.9, dropbear): the command is preceded by a line that prints the
 * shell's pid behind a random marker, the marker line is taken out of stdout, and stopping runs
 * {@link #killScript} on a second channel: it ends the shell's process group (the shell leads one
 * under OpenSSH, which starts every session with {@code setsid}), or else every process of the
 * shell's tree, frozen first so that none forks away. Needs only a POSIX shell, {@code ps} and
 * {@code awk} on the host (BusyBox has them).
 */
final class RemoteProcess {

    /** At most this much output is searched for the marker line; a login shell may print before it. */
    private static final int SEARCH_BYTES = 64 * 1024;

    private final String marker;

    RemoteProcess() {
        byte[] random = new byte[8];
        ThreadLocalRandom.current().nextBytes(random);
        this.marker = "testum-pid-" + HexFormat.of().formatHex(random) + ":";
    }

    /** {@code command}, unchanged on its own lines, after a line that prints the shell's pid behind the marker. */
    String wrap(String command) {
        return "printf '" + marker + "%s\\n' \"$$\"\n" + command;
    }

    /** Passes {@code out} everything but the marker line, and remembers the pid it carries. */
    PidFilter filter(OutputStream out) {
        return new PidFilter(out, (marker).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A shell script that ends the process group led by {@code pid} (TERM, a second later KILL), or,
     * when {@code pid} leads none, every process in its tree (STOP, TERM, CONT, a second later KILL).
     */
    static String killScript(long pid) {
        return "p=" + pid + "\n"
                + "tree() { { ps -A -o pid= -o ppid= 2>/dev/null || ps -o pid= -o ppid=; } | awk -v r=\"$p\" "
                + "'{ c[$2] = c[$2] \" \" $1 } END { q = r; o = \"\"; while (q != \"\") { n = split(q, a, \" \"); q = \"\"; "
                + "for (i = 1; i <= n; i++) { o = o \" \" a[i]; q = q c[a[i]] } } print o }'; }\n"
                + "if kill -0 -\"$p\" 2>/dev/null; then\n"
                + "  kill -TERM -\"$p\" 2>/dev/null; sleep 1; kill -KILL -\"$p\" 2>/dev/null\n"
                + "else\n"
                + "  t=$(tree); kill -STOP $t 2>/dev/null; t=\"$t $(tree)\"; kill -TERM $t 2>/dev/null; kill -CONT $t 2>/dev/null\n"
                + "  sleep 1; kill -KILL $t 2>/dev/null\n"
                + "fi\n"
                + "exit 0\n";
    }

    /** stdout without the marker line. */
    static final class PidFilter extends OutputStream {

        private final OutputStream out;
        private final byte[] marker;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private long searched;
        private boolean searching = true;
        /** Within a line that is too long to be the marker: it passes through to its end. */
        private boolean passingLine;
        private volatile Long pid;

        PidFilter(OutputStream out, byte[] marker) {
            this.out = out;
            this.marker = marker;
        }

        /** The remote shell's pid, once its line arrived. */
        Long pid() {
            return pid;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            int i = off;
            int end = off + len;
            while (searching && i < end) {
                byte c = b[i++];
                searched++;
                if (passingLine) {
                    out.write(c);
                    passingLine = c != '\n';
                } else if (c == '\n') {
                    lineEnded();
                } else {
                    line.write(c);
                    if (line.size() > marker.length + 20) {
                        out.write(line.toByteArray());
                        line.reset();
                        passingLine = true;
                    }
                }
                if (searching && searched >= SEARCH_BYTES && !passingLine) {
                    stopSearching();
                }
            }
            if (i < end) {
                out.write(b, i, end - i);
            }
        }

        private void lineEnded() throws IOException {
            byte[] text = line.toByteArray();
            line.reset();
            Long found = pidIn(text);
            if (found != null) {
                pid = found;
                searching = false;
            } else {
                out.write(text);
                out.write('\n');
            }
        }

        private Long pidIn(byte[] text) {
            if (text.length <= marker.length || text.length > marker.length + 19) {
                return null;
            }
            for (int i = 0; i < marker.length; i++) {
                if (text[i] != marker[i]) {
                    return null;
                }
            }
            long value = 0;
            for (int i = marker.length; i < text.length; i++) {
                if (text[i] < '0' || text[i] > '9') {
                    return null;
                }
                value = value * 10 + (text[i] - '0');
            }
            return value;
        }

        private void stopSearching() throws IOException {
            searching = false;
            if (line.size() > 0) {
                out.write(line.toByteArray());
                line.reset();
            }
        }

        /** Passes on a last line without newline that was held back as a possible marker. */
        @Override
        public synchronized void flush() throws IOException {
            if (searching && !passingLine && line.size() > 0) {
                stopSearching();
            }
            out.flush();
        }

        @Override
        public synchronized void close() throws IOException {
            flush();
        }
    }
}

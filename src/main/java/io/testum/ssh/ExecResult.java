package io.testum.ssh;

import java.nio.charset.StandardCharsets;

/**
 * A finished remote command.
 *
 * @param exitCode the exit status, or null when the command ended by a signal or the channel closed without one
 * @param timedOut whether testum ended it because it ran too long
 */
public record ExecResult(Integer exitCode, byte[] stdout, byte[] stderr, boolean timedOut) {

    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    public boolean succeeded() {
        return !timedOut && exitCode != null && exitCode == 0;
    }
}

package io.testum.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** How a run's events become {@code host | line} lines and an exit code. */
class ExecFollowerTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ExecCommand.Follower follower = new ExecCommand.Follower(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    private static Map<String, Object> event(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static Map<String, Object> output(String platform, String stream, String data) {
        return event("type", "output", "platform", platform, "stream", stream, "data", data);
    }

    @Test
    void joinsChunksIntoLinesPerHostAndStreamAndFlushesALastLineWithoutNewline() {
        follower.accept(output("web-01", "stdout", "on"));
        follower.accept(output("web-02", "stdout", "other\n"));
        follower.accept(output("web-01", "stdout", "e\r\ntw"));
        follower.accept(output("web-01", "stderr", "careful"));
        follower.accept(output("web-01", "stdout", "o"));
        follower.accept(event("type", "done", "platform", "web-01", "exit_code", 0L));
        follower.accept(event("type", "status", "platform", "web-01", "status", "succeeded"));

        assertEquals("web-02 | other\nweb-01 | one\nweb-01 | two\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("web-01 | careful\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aOneHostRunExitsWithTheHostsExitCode() {
        follower.accept(event("type", "status", "platform", "web-01", "status", "failed"));
        follower.accept(event("type", "done", "platform", "web-01", "exit_code", 300L));
        follower.accept(event("type", "run_done", "status", "failed"));
        assertEquals(255, follower.exitCode("r1", new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertEquals("testumctl: run r1 failed (web-01: failed, exit 300)\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aHostThatCouldNotRunAndARunThatSucceeded() {
        follower.accept(event("type", "status", "platform", "web-01", "status", "failed", "error", "connection refused"));
        follower.accept(event("type", "run_done", "status", "failed"));
        assertEquals(Testumctl.UNSUCCESSFUL, follower.exitCode("r2", new PrintStream(new ByteArrayOutputStream())));
        assertEquals("web-01 | failed: connection refused\n", err.toString(StandardCharsets.UTF_8));

        ExecCommand.Follower ok = new ExecCommand.Follower(null, null);
        ok.accept(event("type", "run_done", "status", "succeeded"));
        assertEquals(0, ok.exitCode("r3", new PrintStream(new ByteArrayOutputStream())));
    }
}

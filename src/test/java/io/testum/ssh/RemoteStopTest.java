package io.testum.ssh;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.testum.testing.DropbearHost;
import io.testum.testing.KeyGen;
import io.testum.testing.SshFleet;
import io.testum.testing.SshFleetResource;

/**
 * A timed-out or canceled command leaves nothing running on the host, also when the server or the
 * command ignores the SSH signal request: a command that ignores SIGTERM on OpenSSH, and dropbear,
 * which starts commands without a process group of their own. Checked with pgrep on this machine,
 * where the hosts run.
 */
class RemoteStopTest {

    @RegisterExtension
    static final SshFleetResource HOSTS = SshFleetResource.hosts(1, false);

    private static SshFleet fleet;
    private static DropbearHost dropbear;
    private static SshConnector connector;
    private static PrivateKeyMaterial key;

    @BeforeAll
    static void startHosts() {
        key = SshKeys.generate("ed25519", 256, "testum-test");
        fleet = HOSTS.fleet();
        fleet.host(0).writeAuthorizedKeys(key.publicKey().line() + "\n");
        dropbear = DropbearHost.start(key.publicKey().line());
        connector = new SshConnector(new SshConnectionTest.Config(SshConfig.HostKeyPolicy.TOFU, Duration.ofSeconds(10), 6, 1,
                1, 30, Duration.ofMinutes(1)), new SimpleMeterRegistry());
    }

    @AfterAll
    static void stopHosts() {
        connector.stop();
        if (dropbear != null) {
            dropbear.close();
        }
    }

    private static SshConnection openSsh() {
        SshFleet.Host host = fleet.host(0);
        return connector.connect(new SshTarget(host.address(), host.port(), host.user(), new SshAuth.Key(key.openSsh()), null),
                SshWork.RUN);
    }

    private static SshConnection dropbear() {
        return connector.connect(new SshTarget(dropbear.address(), dropbear.port(), dropbear.user(),
                new SshAuth.Key(key.openSsh()), null), SshWork.RUN);
    }

    /** Processes on this machine whose command line matches {@code pattern}. */
    private static List<String> processes(String pattern) {
        String out = KeyGen.run(List.of("sh", "-c", "pgrep -af '" + pattern + "' || true"));
        return out.lines().filter(l -> !l.isBlank() && !l.contains("pgrep")).toList();
    }

    @Test
    void endsACommandThatIgnoresSigtermAndItsChildrenWhenItTimesOut() throws Exception {
        try (SshConnection c = openSsh()) {
            ExecResult result = c.exec("trap '' TERM; sleep 4411 & sleep 4412; wait", null, Duration.ofSeconds(1), 1024);
            assertTrue(result.timedOut());
        }
        await("no process left matching " + "sleep 441[12]").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> processes("sleep 441[12]"), empty());
    }

    @Test
    void endsACanceledCommandAndItsChildrenOnDropbear() throws Exception {
        AtomicBoolean canceled = new AtomicBoolean();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // cancel once the command and its child run
        Thread.ofVirtual().start(() -> {
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    List<String> running = processes("sleep 442[12]");
                    return running.stream().anyMatch(l -> l.endsWith("sleep 4421"))
                            && running.stream().anyMatch(l -> l.endsWith("sleep 4422"));
                });
            } finally {
                canceled.set(true);
            }
        });
        try (SshConnection c = dropbear()) {
            SshConnection.ExecStatus status = c.exec("echo started; sh -c 'sleep 4421' & sleep 4422; wait", null,
                    Duration.ofSeconds(60), out, new ByteArrayOutputStream(), canceled::get);
            assertTrue(status.canceled());
        }
        assertEquals("started\n", out.toString(StandardCharsets.UTF_8));
        await("no process left matching " + "sleep 442[12]").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> processes("sleep 442[12]"), empty());
    }

    @Test
    void endsATimedOutCommandOnDropbear() throws Exception {
        try (SshConnection c = dropbear()) {
            assertTrue(c.exec("sleep 4431", null, Duration.ofSeconds(1), 1024).timedOut());
        }
        await("no process left matching " + "sleep 4431").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> processes("sleep 4431"), empty());
    }

    @Test
    void passesOutputOnByteForByteWithoutThePidLine() {
        String command = "printf 'first\\n\\nno newline at the end'; printf 'err\\n' >&2; exit 7";
        for (SshConnection c : new SshConnection[] {openSsh(), dropbear()}) {
            try (c) {
                ExecResult result = c.exec(command, null, Duration.ofSeconds(10), 1024);
                assertEquals("first\n\nno newline at the end", result.stdoutText());
                assertEquals("err\n", result.stderrText());
                assertEquals(7, result.exitCode());
                assertEquals("line one\nline two\n", c.exec("cat", "line one\nline two\n".getBytes(StandardCharsets.UTF_8),
                        Duration.ofSeconds(10), 1024).stdoutText());
            }
        }
    }
}

package io.testum.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.testum.testing.SshFleet;

/** The SSH wrapper against real OpenSSH servers. */
class SshConnectionTest {

    private static SshFleet fleet;
    private static SshConnector connector;
    private static PrivateKeyMaterial key;

    record Config(HostKeyPolicy hostKeyPolicy, Duration connectTimeout, int maxConcurrency) implements SshConfig {
    }

    @BeforeAll
    static void startHosts() {
        fleet = SshFleet.start(2, true);
        key = SshKeys.generate("ed25519", 256, "testum-test");
        for (SshFleet.Host host : fleet.hosts()) {
            host.writeAuthorizedKeys(key.publicKey().line() + "\n");
        }
        connector = new SshConnector(new Config(SshConfig.HostKeyPolicy.TOFU, Duration.ofSeconds(10), 4),
                new SimpleMeterRegistry());
    }

    @AfterAll
    static void stopHosts() {
        connector.stop();
        fleet.close();
    }

    private static SshTarget target(SshFleet.Host host, SshAuth auth, String pin) {
        return new SshTarget(host.address(), host.port(), host.user(), auth, pin);
    }

    private static SshConnection connect(SshFleet.Host host) {
        return connector.connect(target(host, new SshAuth.Key(key.openSsh()), null));
    }

    @Test
    void agreesOnAKeyExchangeWithoutSntrup761WhichCostsMoreThanTheRestOfAConnection() {
        try (SshConnection c = connect(fleet.host(0))) {
            String kex = c.keyExchange();
            // Debian 12's OpenSSH offers sntrup761x25519-sha512 first and has no ML-KEM hybrid yet.
            assertFalse(kex.contains("sntrup761"), kex);
            assertTrue(List.of("mlkem768x25519-sha256", "curve25519-sha256").contains(kex), kex);
        }
    }

    @Test
    void runsACommandWithStdoutStderrAndExitCodeApart() {
        try (SshConnection c = connect(fleet.host(0))) {
            ExecResult result = c.exec("echo out; echo err >&2; exit 3", null, Duration.ofSeconds(10), 1024);
            assertEquals("out\n", result.stdoutText());
            assertEquals("err\n", result.stderrText());
            assertEquals(3, result.exitCode());
            assertFalse(result.timedOut());
            assertEquals("hello", c.exec("cat", "hello".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10), 1024)
                    .stdoutText());
            assertEquals(fleet.host(0).hostKeyFingerprint(), c.hostKeyFingerprint());
            assertEquals(1, connector.active());
        }
        assertEquals(0, connector.active());
    }

    @Test
    void endsACommandThatRunsTooLong() {
        String marker = "sleep 4321";
        try (SshConnection c = connect(fleet.host(0))) {
            ExecResult result = c.exec(marker, null, Duration.ofMillis(500), 1024);
            assertTrue(result.timedOut());
        }
        try (SshConnection c = connect(fleet.host(0))) {
            ExecResult ps = c.exec("ps -eo args", null, Duration.ofSeconds(10), 1 << 20);
            assertFalse(ps.stdoutText().lines().anyMatch(l -> l.startsWith(marker)), ps.stdoutText());
        }
    }

    @Test
    void capsTheOutputItKeeps() {
        try (SshConnection c = connect(fleet.host(0))) {
            ExecResult result = c.exec("head -c 100000 /dev/zero", null, Duration.ofSeconds(10), 1000);
            assertEquals(1000, result.stdout().length);
            assertEquals(0, result.exitCode());
        }
    }

    @Test
    void replacesAFileAtomicallyWithItsModeAndRemovesLeftovers() {
        try (SshConnection c = connect(fleet.host(1))) {
            assertFalse(c.read(".ssh/nothing").exists());
            byte[] content = "line one\nline two\n".getBytes(StandardCharsets.UTF_8);
            c.writeAtomically(".ssh/managed", content, 0600, temp -> assertTrue(temp.startsWith(".ssh/.managed.testum-")));
            RemoteFile file = c.read(".ssh/managed");
            assertArrayEquals(content, file.content());
            assertEquals(0600, file.mode());
            assertThrows(IllegalStateException.class, () -> c.writeAtomically(".ssh/managed", new byte[] {1}, 0600, temp -> {
                throw new IllegalStateException("abandon");
            }));
            assertArrayEquals(content, c.read(".ssh/managed").content(), "an abandoned write leaves the target as it was");
            assertEquals(List.of("authorized_keys", "managed"), fleet.host(1).sshDirectory(), "no temporary file is left");
            assertTrue(c.ensureDirectory("made", 0700));
            assertFalse(c.ensureDirectory("made", 0700));
            assertTrue(c.home().endsWith(fleet.host(1).user()));
        }
    }

    @Test
    void refusesAHostKeyOtherThanThePinnedOneBeforeSendingCredentials() {
        long attemptsBefore = fleet.host(0).log().lines().filter(l -> l.contains("publickey")).count();
        SshFailure failure = assertThrows(SshFailure.class, () -> connector.connect(target(fleet.host(0),
                new SshAuth.Key(key.openSsh()), "SHA256:" + "A".repeat(43))));
        assertEquals(SshFailure.Kind.HOST_KEY_MISMATCH, failure.kind());
        assertTrue(failure.getMessage().contains(fleet.host(0).hostKeyFingerprint()), failure.getMessage());
        assertEquals(attemptsBefore, fleet.host(0).log().lines().filter(l -> l.contains("publickey")).count(),
                "no key was offered to the host");
        assertEquals(0, connector.active());
    }

    @Test
    void logsInWithAPasswordAndReportsRefusedCredentials() {
        fleet.host(1).setPassword("fixture-password-1");
        try (SshConnection c = connector.connect(target(fleet.host(1), new SshAuth.Password("fixture-password-1"), null))) {
            assertEquals("ok\n", c.exec("echo ok", null, Duration.ofSeconds(10), 100).stdoutText());
        }
        SshFailure wrong = assertThrows(SshFailure.class,
                () -> connector.connect(target(fleet.host(1), new SshAuth.Password("nope"), null)));
        assertEquals(SshFailure.Kind.AUTHENTICATION, wrong.kind());
        PrivateKeyMaterial stranger = SshKeys.generate("ed25519", 256, "stranger");
        SshFailure unknown = assertThrows(SshFailure.class,
                () -> connector.connect(target(fleet.host(0), new SshAuth.Key(stranger.openSsh()), null)));
        assertEquals(SshFailure.Kind.AUTHENTICATION, unknown.kind());
        assertEquals(0, connector.active());
    }

    @Test
    void reportsAHostThatDoesNotAnswerAsUnreachable() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SshFailure failure = assertThrows(SshFailure.class, () -> connector.connect(new SshTarget("127.0.0.1", closedPort,
                "nobody", new SshAuth.Key(key.openSsh()), null)));
        assertEquals(SshFailure.Kind.UNREACHABLE, failure.kind());
        assertEquals(0, connector.active());
    }

}

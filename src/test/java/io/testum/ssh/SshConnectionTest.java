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
import org.junit.jupiter.api.extension.RegisterExtension;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.testum.testing.SshFleet;
import io.testum.testing.SshFleetResource;

/** The SSH wrapper against real OpenSSH servers. */
class SshConnectionTest {

    @RegisterExtension
    static final SshFleetResource HOSTS = SshFleetResource.hosts(2, true);

    private static SshFleet fleet;
    private static SshConnector connector;
    private static PrivateKeyMaterial key;

    record Config(HostKeyPolicy hostKeyPolicy, Duration connectTimeout, int maxConcurrency, int reservedForDeployments,
            int interactiveConcurrency, int interactivePerUser, Duration interactiveWindow,
            java.util.Optional<List<String>> kexAlgorithms) implements SshConfig {
        Config(HostKeyPolicy hostKeyPolicy, Duration connectTimeout, int maxConcurrency, int reservedForDeployments,
                int interactiveConcurrency, int interactivePerUser, Duration interactiveWindow) {
            this(hostKeyPolicy, connectTimeout, maxConcurrency, reservedForDeployments, interactiveConcurrency,
                    interactivePerUser, interactiveWindow, java.util.Optional.empty());
        }

        Config(HostKeyPolicy hostKeyPolicy, Duration connectTimeout, int maxConcurrency,
                java.util.Optional<List<String>> kexAlgorithms) {
            this(hostKeyPolicy, connectTimeout, maxConcurrency, 0, 1, 30, Duration.ofMinutes(1), kexAlgorithms);
        }

        @Override
        public KeepAlive keepAlive() {
            return new KeepAliveConfig(false, 16, Duration.ofMinutes(5));
        }
    }

    /** {@code testum.ssh.keep-alive.*}: off in the connector's own tests unless a test turns it on. */
    record KeepAliveConfig(boolean enabled, int maxIdle, Duration idleTimeout) implements SshConfig.KeepAlive {
    }

    @BeforeAll
    static void startHosts() {
        fleet = HOSTS.fleet();
        key = SshKeys.generate("ed25519", 256, "testum-test");
        for (SshFleet.Host host : fleet.hosts()) {
            host.writeAuthorizedKeys(key.publicKey().line() + "\n");
        }
        connector = new SshConnector(new Config(SshConfig.HostKeyPolicy.TOFU, Duration.ofSeconds(10), 6, 1, 1, 30,
                Duration.ofMinutes(1)),
                new SimpleMeterRegistry());
    }

    @AfterAll
    static void stopHosts() {
        connector.stop();
    }

    private static SshTarget target(SshFleet.Host host, SshAuth auth, String pin) {
        return new SshTarget(host.address(), host.port(), host.user(), auth, pin);
    }

    private static SshConnection connect(SshFleet.Host host) {
        return connector.connect(target(host, new SshAuth.Key(key.openSsh()), null), SshWork.RUN);
    }

    @Test
    void aStoppedConnectorTakesItsGaugeAlongSoTheNextOneOnTheSameRegistryIsTheOneMeasured() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        SshConnector first = new SshConnector(new Config(SshConfig.HostKeyPolicy.TOFU, Duration.ofSeconds(10), 2,
                java.util.Optional.empty()), meters);
        assertEquals(1, meters.find("testum_ssh_sessions_active").gauges().size());
        first.stop();
        assertEquals(0, meters.find("testum_ssh_sessions_active").gauges().size());

        SshConnector next = new SshConnector(new Config(SshConfig.HostKeyPolicy.TOFU, Duration.ofSeconds(10), 2,
                java.util.Optional.empty()), meters);
        try (SshConnection c = next.connect(target(fleet.host(0), new SshAuth.Key(key.openSsh()), null), SshWork.RUN)) {
            assertEquals(1.0, meters.get("testum_ssh_sessions_active").gauge().value());
        } finally {
            next.stop();
        }
    }

    @Test
    void refusesToOpenASessionOnAnEventLoopThread() throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            java.util.concurrent.CompletableFuture<Throwable> attempt = new java.util.concurrent.CompletableFuture<>();
            vertx.runOnContext(v -> {
                try (SshConnection c = connect(fleet.host(0))) {
                    attempt.complete(null);
                } catch (RuntimeException e) {
                    attempt.complete(e);
                }
            });
            Throwable refused = attempt.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(refused instanceof IllegalStateException, String.valueOf(refused));
            assertTrue(refused.getMessage().contains("event loop"), refused.getMessage());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
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
    void replacesAFileThroughTheShellOnlyIfItStillHoldsWhatWasRead() {
        FileLocation location = new FileLocation("~/.ssh/managed", fleet.host(1).user(), false);
        try (SshConnection c = connect(fleet.host(1))) {
            RemoteFiles files = c.files();
            RemoteFile absent = files.read(location);
            assertFalse(absent.exists());
            byte[] content = "line one\nline two\n".getBytes(StandardCharsets.UTF_8);
            assertEquals(RemoteFiles.Outcome.REPLACED, files.replace(location, absent, content, () -> { }));
            RemoteFile file = files.read(location);
            assertArrayEquals(content, file.content());
            assertEquals(RemoteFiles.Outcome.CHANGED, files.replace(location, absent, new byte[] {1}, () -> { }));
            assertArrayEquals(content, files.read(location).content(), "a stale replace leaves the target as it was");
            assertEquals(List.of("authorized_keys", "managed"), fleet.host(1).sshDirectory(), "no temporary file is left");
            assertEquals(RemoteFiles.Outcome.REPLACED, files.remove(location, file));
            assertEquals(List.of("authorized_keys"), fleet.host(1).sshDirectory());
            assertEquals(key.publicKey().type() + " " + key.publicKey().data(), c.loginKey().orElseThrow());
        }
    }

    @Test
    void replacesAFileOverSftpAsTheBenchmarksReferenceDoes() {
        FileLocation location = new FileLocation("~/.ssh/over-sftp", fleet.host(1).user(), false);
        try (SshConnection c = connect(fleet.host(1))) {
            RemoteFiles files = SftpFiles.over(c);
            RemoteFile absent = files.read(location);
            byte[] content = "over sftp\n".getBytes(StandardCharsets.UTF_8);
            assertEquals(RemoteFiles.Outcome.REPLACED, files.replace(location, absent, content, () -> { }));
            assertArrayEquals(content, c.files().read(location).content());
            assertEquals(RemoteFiles.Outcome.CHANGED, files.replace(location, absent, new byte[] {1}, () -> { }));
            assertEquals(RemoteFiles.Outcome.REPLACED, files.remove(location, files.read(location)));
            assertThrows(SshFailure.class, () -> files.read(new FileLocation("~/.ssh/x", "someone", true)));
        }
    }

    @Test
    void refusesAHostKeyOtherThanThePinnedOneBeforeSendingCredentials() {
        long attemptsBefore = fleet.host(0).log().lines().filter(l -> l.contains("publickey")).count();
        SshFailure failure = assertThrows(SshFailure.class, () -> connector.connect(target(fleet.host(0),
                new SshAuth.Key(key.openSsh()), "SHA256:" + "A".repeat(43)), SshWork.DEPLOYMENT));
        assertEquals(SshFailure.Kind.HOST_KEY_MISMATCH, failure.kind());
        assertTrue(failure.getMessage().contains(fleet.host(0).hostKeyFingerprint()), failure.getMessage());
        assertEquals(attemptsBefore, fleet.host(0).log().lines().filter(l -> l.contains("publickey")).count(),
                "no key was offered to the host");
        assertEquals(0, connector.active());
    }

    @Test
    void logsInWithAPasswordAndReportsRefusedCredentials() {
        fleet.host(1).setPassword("fixture-password-1");
        String pin = fleet.host(1).hostKeyFingerprint();
        try (SshConnection c = connector.connect(target(fleet.host(1), new SshAuth.Password("fixture-password-1"), pin),
                SshWork.INTERACTIVE)) {
            assertEquals("ok\n", c.exec("echo ok", null, Duration.ofSeconds(10), 100).stdoutText());
        }
        SshFailure wrong = assertThrows(SshFailure.class,
                () -> connector.connect(target(fleet.host(1), new SshAuth.Password("nope"), pin), SshWork.INTERACTIVE));
        assertEquals(SshFailure.Kind.AUTHENTICATION, wrong.kind());
        PrivateKeyMaterial stranger = SshKeys.generate("ed25519", 256, "stranger");
        SshFailure unknown = assertThrows(SshFailure.class,
                () -> connector.connect(target(fleet.host(0), new SshAuth.Key(stranger.openSsh()), null), SshWork.RUN));
        assertEquals(SshFailure.Kind.AUTHENTICATION, unknown.kind());
        assertEquals(0, connector.active());
    }

    @Test
    void offersOnlyTheKeyExchangesConfigured() {
        SshConnector classical = new SshConnector(new Config(SshConfig.HostKeyPolicy.TOFU, Duration.ofSeconds(10), 2,
                java.util.Optional.of(List.of("curve25519-sha256"))), new SimpleMeterRegistry());
        SshConnector postQuantum = new SshConnector(new Config(SshConfig.HostKeyPolicy.TOFU, Duration.ofSeconds(10), 2,
                java.util.Optional.of(List.of("sntrup761x25519-sha512"))), new SimpleMeterRegistry());
        SshFleet.Host host = fleet.host(0);
        try {
            try (SshConnection c = classical.connect(target(host, new SshAuth.Key(key.openSsh()), null), SshWork.RUN)) {
                assertEquals("ok\n", c.exec("echo ok", null, Duration.ofSeconds(10), 100).stdoutText());
            }
            host.reconfigure("KexAlgorithms sntrup761x25519-sha512");
            assertThrows(SshFailure.class, () -> classical.connect(target(host, new SshAuth.Key(key.openSsh()), null), SshWork.RUN),
                    "a host that takes only sntrup761x25519 refuses a client that offers only curve25519");
            try (SshConnection c = postQuantum.connect(target(host, new SshAuth.Key(key.openSsh()), null), SshWork.RUN)) {
                assertEquals("ok\n", c.exec("echo ok", null, Duration.ofSeconds(10), 100).stdoutText(),
                        "sntrup761x25519, left out by default, is there when named");
            }
        } finally {
            classical.stop();
            postQuantum.stop();
            host.reconfigure();
        }
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> new SshConnector(
                new Config(SshConfig.HostKeyPolicy.TOFU, Duration.ofSeconds(10), 2, java.util.Optional.of(List.of("rot13"))),
                new SimpleMeterRegistry()));
        assertTrue(unknown.getMessage().contains("sntrup761x25519-sha512"), unknown.getMessage());
    }

    @Test
    void reportsAHostThatDoesNotAnswerAsUnreachable() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SshFailure failure = assertThrows(SshFailure.class, () -> connector.connect(new SshTarget("127.0.0.1", closedPort,
                "nobody", new SshAuth.Key(key.openSsh()), null), SshWork.RUN));
        assertEquals(SshFailure.Kind.UNREACHABLE, failure.kind());
        assertEquals(0, connector.active());
    }

    @Test
    void sendsNoPasswordToAHostWhoseKeyIsNotPinnedOrOnlyPinnedAtFirstContact() {
        fleet.host(1).setPassword("fixture-password-1");
        SshAuth password = new SshAuth.Password("fixture-password-1");
        long before = passwordAttempts(fleet.host(1));
        SshFailure unpinned = assertThrows(SshFailure.class,
                () -> connector.connect(target(fleet.host(1), password, null), SshWork.INTERACTIVE));
        assertTrue(unpinned.getMessage().contains("did not send the password"), unpinned.getMessage());
        HostKeyGate firstContact = fingerprint -> HostKeyGate.Verdict.PINNED;
        SshFailure untrusted = assertThrows(SshFailure.class, () -> connector.connect(new SshTarget(fleet.host(1).address(),
                fleet.host(1).port(), fleet.host(1).user(), password, null, firstContact), SshWork.INTERACTIVE));
        assertTrue(untrusted.getMessage().contains("no admin vouched for it"), untrusted.getMessage());
        assertEquals(before, passwordAttempts(fleet.host(1)), "the host never saw a password attempt");
        HostKeyGate vouched = fingerprint -> HostKeyGate.Verdict.TRUSTED;
        try (SshConnection c = connector.connect(new SshTarget(fleet.host(1).address(), fleet.host(1).port(),
                fleet.host(1).user(), password, null, vouched), SshWork.INTERACTIVE)) {
            assertEquals("ok\n", c.exec("echo ok", null, Duration.ofSeconds(10), 100).stdoutText());
        }
        assertEquals(0, connector.active());
    }

    @Test
    void keepsSlotsOfEachKindOfWorkApart() throws Exception {
        // 6 slots: 1 reserved for deployments, 1 interactive, so runs hold at most 4.
        List<SshConnection> runs = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                runs.add(connect(fleet.host(0)));
            }
            assertEquals(4, connector.capacity(SshWork.RUN));
            var fifth = java.util.concurrent.CompletableFuture.supplyAsync(() -> connect(fleet.host(0)));
            try (SshConnection interactive = connector.connect(target(fleet.host(0), new SshAuth.Key(key.openSsh()), null),
                    SshWork.INTERACTIVE);
                    SshConnection deployment = connector.connect(target(fleet.host(0), new SshAuth.Key(key.openSsh()), null),
                            SshWork.DEPLOYMENT)) {
                assertTrue(interactive.isOpen() && deployment.isOpen());
                assertFalse(fifth.isDone(), "a fifth run session waits while its share is full");
            }
            runs.remove(0).close();
            runs.add(fifth.get(30, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            runs.forEach(SshConnection::close);
        }
        assertEquals(0, connector.active());
    }

    private static long passwordAttempts(SshFleet.Host host) {
        return host.log().lines().filter(l -> l.contains("password for")).count();
    }
}

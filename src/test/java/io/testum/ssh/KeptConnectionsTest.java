package io.testum.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.testum.testing.SshFleet;
import io.testum.testing.SshFleetResource;

/**
 * Connections kept open between deployments ({@code testum.ssh.keep-alive}), against real OpenSSH
 * servers: what is kept, for whom, and what makes a kept connection never serve again.
 */
class KeptConnectionsTest {

    @RegisterExtension
    static final SshFleetResource HOSTS = SshFleetResource.hosts(2, false);

    private static SshFleet fleet;
    private static PrivateKeyMaterial key;
    private static PrivateKeyMaterial other;
    private SshConnector connector;

    @BeforeAll
    static void startHosts() {
        fleet = HOSTS.fleet();
        key = SshKeys.generate("ed25519", 256, "testum-test");
        other = SshKeys.generate("ed25519", 256, "testum-rotated");
        for (SshFleet.Host host : fleet.hosts()) {
            host.writeAuthorizedKeys(key.publicKey().line() + "\n" + other.publicKey().line() + "\n");
        }
    }

    @BeforeEach
    void startConnector() {
        connector = connector(true, 16);
    }

    @AfterEach
    void stopConnector() {
        connector.stop();
    }

    /** {@code testum.ssh.*} with keep-alive as given. */
    record Config(KeepAlive keepAlive) implements SshConfig {
        @Override
        public HostKeyPolicy hostKeyPolicy() {
            return HostKeyPolicy.TOFU;
        }

        @Override
        public Duration connectTimeout() {
            return Duration.ofSeconds(10);
        }

        @Override
        public int maxConcurrency() {
            return 6;
        }

        @Override
        public Optional<java.util.List<String>> kexAlgorithms() {
            return Optional.empty();
        }

        @Override
        public int reservedForDeployments() {
            return 0;
        }

        @Override
        public int interactiveConcurrency() {
            return 1;
        }

        @Override
        public int interactivePerUser() {
            return 30;
        }

        @Override
        public Duration interactiveWindow() {
            return Duration.ofMinutes(1);
        }
    }

    private static SshConnector connector(boolean enabled, int maxIdle) {
        return connector(enabled, maxIdle, Duration.ofMinutes(5));
    }

    private static SshConnector connector(boolean enabled, int maxIdle, Duration idleTimeout) {
        return new SshConnector(new Config(new SshConnectionTest.KeepAliveConfig(enabled, maxIdle, idleTimeout)),
                new SimpleMeterRegistry());
    }

    private static SshTarget target(SshFleet.Host host, PrivateKeyMaterial login) {
        return new SshTarget(host.address(), host.port(), host.user(), new SshAuth.Key(login.openSsh()), null);
    }

    private static KeepFor keepFor(SshFleet.Host host, String owner) {
        return new KeepFor(owner, "deployer", host.hostKeyFingerprint());
    }

    private static long logins(SshFleet.Host host) {
        return host.log().lines().filter(l -> l.contains("Accepted publickey")).count();
    }

    private static void works(SshConnection connection) {
        assertEquals("ok\n", connection.exec("echo ok", null, Duration.ofSeconds(10), 1024).stdoutText());
    }

    @Test
    void handsTheKeptConnectionToTheSameLoginWithoutLoggingInAgain() {
        SshFleet.Host host = fleet.host(0);
        SshConnection first = connector.connect(target(host, key), keepFor(host, "web-01"), SshWork.DEPLOYMENT);
        assertFalse(first.reused());
        connector.keep(first);
        assertEquals(1, connector.kept());
        assertEquals(0, connector.active(), "an idle connection holds no slot");
        long before = logins(host);

        SshConnection again = connector.connect(target(host, key), keepFor(host, "web-01"), SshWork.DEPLOYMENT);
        assertTrue(again.reused());
        assertEquals(1, connector.active(), "a kept connection in use holds a slot");
        works(again);
        assertEquals(before, logins(host), "no new login");
        assertEquals(0, connector.kept(), "handed out once");
        connector.keep(again);
        assertEquals(1, connector.kept(), "kept again: it logged in less than the idle timeout ago");
        assertEquals(0, connector.active());
    }

    @Test
    void closesAKeptConnectionAfterTheIdleTimeoutAndNeverKeepsOneLoggedInLongerAgo() throws Exception {
        SshConnector brief = connector(true, 16, Duration.ofSeconds(1));
        try {
            SshFleet.Host host = fleet.host(0);
            SshConnection first = brief.connect(target(host, key), keepFor(host, "web-01"), SshWork.DEPLOYMENT);
            org.apache.sshd.client.session.ClientSession session = first.session();
            brief.keep(first);
            SshConnection again = brief.connect(target(host, key), keepFor(host, "web-01"), SshWork.DEPLOYMENT);
            assertTrue(again.reused());
            Thread.sleep(1100);
            brief.keep(again);
            assertFalse(session.isOpen(), "logged in longer ago than the idle timeout: closed, not kept");
            assertEquals(0, brief.kept());

            SshConnection idle = brief.connect(target(host, key), keepFor(host, "web-01"), SshWork.DEPLOYMENT);
            org.apache.sshd.client.session.ClientSession idleSession = idle.session();
            brief.keep(idle);
            assertEquals(1, brief.kept());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> !idleSession.isOpen());
            assertEquals(0, brief.kept());
        } finally {
            brief.stop();
        }
    }

    @Test
    void neverHandsAKeptConnectionToAnotherSecretAndClosesIt() {
        SshFleet.Host host = fleet.host(0);
        connector.keep(connector.connect(target(host, key), keepFor(host, "web-01"), SshWork.DEPLOYMENT));
        long before = logins(host);

        try (SshConnection rotated = connector.connect(target(host, other), keepFor(host, "web-01"), SshWork.DEPLOYMENT)) {
            assertFalse(rotated.reused());
            assertEquals(other.publicKey().type() + " " + other.publicKey().data(), rotated.loginKey().orElseThrow());
            works(rotated);
        }
        assertEquals(before + 1, logins(host), "the new secret logged in anew");
        assertEquals(0, connector.kept(), "the old connection was closed, not kept aside");
    }

    @Test
    void neverHandsAKeptConnectionToAnotherCredentialAccountOrOwner() {
        SshFleet.Host host = fleet.host(0);
        connector.keep(connector.connect(target(host, key), keepFor(host, "web-01"), SshWork.DEPLOYMENT));
        try (SshConnection c = connector.connect(target(host, key), new KeepFor("web-01", "another", host.hostKeyFingerprint()),
                SshWork.DEPLOYMENT)) {
            assertFalse(c.reused(), "another credential name");
        }
        connector.keep(connector.connect(target(host, key), keepFor(host, "web-01"), SshWork.DEPLOYMENT));
        try (SshConnection c = connector.connect(target(host, key), keepFor(host, "web-02"), SshWork.DEPLOYMENT)) {
            assertFalse(c.reused(), "another owner");
        }
        assertEquals(1, connector.kept(), "web-01's connection stays kept for web-01");
    }

    @Test
    void needsThePinnedHostKeyToBeTheOneTheKeptConnectionVerified() {
        SshFleet.Host host = fleet.host(0);
        connector.keep(connector.connect(target(host, key), keepFor(host, "web-01"), SshWork.DEPLOYMENT));
        try (SshConnection c = connector.connect(target(host, key), new KeepFor("web-01", "deployer", null), SshWork.DEPLOYMENT)) {
            assertFalse(c.reused(), "a forgotten pin: the host key is checked on a new login");
        }
        assertEquals(0, connector.kept());
        connector.keep(connector.connect(target(host, key), keepFor(host, "web-01"), SshWork.DEPLOYMENT));
        try (SshConnection c = connector.connect(target(host, key),
                new KeepFor("web-01", "deployer", "SHA256:" + "A".repeat(43)), SshWork.DEPLOYMENT)) {
            assertFalse(c.reused(), "another pinned key");
        }
        assertEquals(0, connector.kept());
    }

    @Test
    void forgettingTheHostKeyClosesTheConnectionsKeptToThatAddress() {
        SshFleet.Host host = fleet.host(0);
        SshFleet.Host elsewhere = fleet.host(1);
        connector.keep(connector.connect(target(host, key), keepFor(host, "web-01"), SshWork.DEPLOYMENT));
        connector.keep(connector.connect(target(elsewhere, key), keepFor(elsewhere, "web-02"), SshWork.DEPLOYMENT));
        connector.forgetKept(host.address(), host.port());
        assertEquals(1, connector.kept());
        try (SshConnection c = connector.connect(target(host, key), keepFor(host, "web-01"), SshWork.DEPLOYMENT)) {
            assertFalse(c.reused());
        }
        try (SshConnection c = connector.connect(target(elsewhere, key), keepFor(elsewhere, "web-02"), SshWork.DEPLOYMENT)) {
            assertTrue(c.reused());
        }
    }

    @Test
    void aKeptConnectionWhoseHostWentDownIsNotHandedOut() {
        SshFleet.Host host = fleet.host(1);
        connector.keep(connector.connect(target(host, key), keepFor(host, "web-02"), SshWork.DEPLOYMENT));
        host.kill();
        host.start();
        SshConnection c = connector.connect(target(host, key), keepFor(host, "web-02"), SshWork.DEPLOYMENT);
        try {
            if (c.reused()) {
                // MINA had not seen the connection end yet: the command on it does not run (it fails, or
                // answers nothing), and the caller logs in anew
                String out;
                try {
                    out = c.exec("echo ok", null, Duration.ofSeconds(10), 1024).stdoutText();
                } catch (SshFailure e) {
                    out = "";
                }
                assertEquals("", out);
            } else {
                works(c);
            }
        } finally {
            c.close();
        }
        try (SshConnection fresh = connector.connect(target(host, key), keepFor(host, "web-02"), SshWork.DEPLOYMENT)) {
            assertFalse(fresh.reused());
            works(fresh);
        }
    }

    @Test
    void keepsAtMostMaxIdleConnectionsAndClosesTheRest() {
        SshConnector small = connector(true, 1);
        try {
            small.keep(small.connect(target(fleet.host(0), key), keepFor(fleet.host(0), "web-01"), SshWork.DEPLOYMENT));
            small.keep(small.connect(target(fleet.host(1), key), keepFor(fleet.host(1), "web-02"), SshWork.DEPLOYMENT));
            assertEquals(1, small.kept());
        } finally {
            small.stop();
        }
    }

    @Test
    void keepsNothingWhenKeepAliveIsOff() {
        SshConnector off = connector(false, 16);
        try {
            SshFleet.Host host = fleet.host(0);
            SshConnection c = off.connect(target(host, key), keepFor(host, "web-01"), SshWork.DEPLOYMENT);
            off.keep(c);
            assertFalse(c.isOpen());
            assertEquals(0, off.kept());
            try (SshConnection next = off.connect(target(host, key), keepFor(host, "web-01"), SshWork.DEPLOYMENT)) {
                assertFalse(next.reused());
            }
        } finally {
            off.stop();
        }
    }

    @Test
    void closesWhatItKeepsWhenItStops() {
        SshConnector stopping = connector(true, 16);
        SshFleet.Host host = fleet.host(0);
        SshConnection c = stopping.connect(target(host, key), keepFor(host, "web-01"), SshWork.DEPLOYMENT);
        org.apache.sshd.client.session.ClientSession session = c.session();
        stopping.keep(c);
        assertTrue(session.isOpen());
        stopping.stop();
        assertFalse(session.isOpen());
    }
}

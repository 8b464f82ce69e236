package io.testum.deploy;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.testum.ssh.FileLocation;
import io.testum.ssh.RemoteFile;
import io.testum.ssh.RemoteFiles;
import io.testum.ssh.SshConnection;
import io.testum.ssh.SshConnector;
import io.testum.ssh.SshFailure;
import io.testum.testing.Auth;
import io.testum.testing.Fixtures;
import io.testum.testing.KeyGen;
import io.testum.testing.PostgresResource;
import io.testum.testing.SshFleet;
import io.testum.testing.TestDatabase;
import io.testum.testing.WithSshFleet;

/**
 * Deployments over the connection the last deployment's proof login left open
 * ({@code testum.ssh.keep-alive}), on real sshd: one new login per deployment, the proof, and
 * never a kept connection for another credential, another host key, or a connection that died.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithSshFleet(hosts = 1)
class KeptLoginTest {

    private SshFleet fleet;

    @Inject
    DeploymentService deployments;

    @Inject
    SshConnector connector;

    @TempDir
    Path tmp;

    private String testumKey;
    private List<String> keys;

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        Auth.asAdmin();
        SshFleet.Host host = fleet.host(0);
        host.stop(); // ends what an earlier test kept open
        host.start();
        testumKey = post("/api/credentials/generate", Map.of("name", "deployer")).statusCode(201).extract().path("public_key");
        host.writeAuthorizedKeys(testumKey + "\n");
        post("/api/platforms", platformBody("deployer")).statusCode(201);
        keys = new java.util.ArrayList<>(List.of(key("alice")));
        post("/api/access", Map.of("name", "admins", "keys", keys, "platforms", List.of("web-01"))).statusCode(201);
        settle();
        deploy().body("deployments[0].status", equalTo("in_sync"));
        settle();
    }

    private Map<String, Object> platformBody(String credential) {
        SshFleet.Host host = fleet.host(0);
        return new HashMap<>(Map.of("name", "web-01", "host", host.address(), "port", host.port(),
                "username", host.user(), "auth_method", "key", "credential", credential));
    }

    private final Map<String, String> publicLines = new HashMap<>();

    private String key(String name) {
        String line = KeyGen.publicLine(KeyGen.generate(tmp, "ed25519", 0, null, null, name));
        Fixtures.key(name, line);
        publicLines.put(name, line);
        return name;
    }

    /** Adds a key to the grant and deploys it now. */
    private ValidatableResponse change() {
        keys.add(key("extra-" + keys.size()));
        Fixtures.put("/api/access/admins", Map.of("keys", keys, "platforms", List.of("web-01"))).statusCode(200);
        settle();
        return deploy();
    }

    /** Adds a key to the grant and waits for the deployment that the change starts in the background. */
    private void changeInTheBackground() {
        keys.add(key("extra-" + keys.size()));
        Fixtures.put("/api/access/admins", Map.of("keys", keys, "platforms", List.of("web-01"))).statusCode(200);
        settle();
    }

    private static ValidatableResponse deploy() {
        return given().post("/api/platforms/web-01/deploy-keys").then().statusCode(200);
    }

    /** Waits for the background deployment an inventory change starts. */
    private void settle() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> !deployments.busy());
    }

    private long logins() {
        return fleet.host(0).log().lines().filter(l -> l.contains("Accepted publickey")).count();
    }

    /** Whether the host's file holds the key named {@code name}. */
    private boolean holds(String name) {
        return fleet.host(0).authorizedKeysText().contains(publicLines.get(name));
    }

    @Test
    void writesEachNextDeploymentOverTheProofLoginOfTheLastSoItLogsInOnce() {
        assertEquals(1, connector.kept(), "the proof login stays open, idle");
        for (int i = 0; i < 3; i++) {
            long before = logins();
            change().body("deployments[0].status", equalTo("in_sync"));
            assertEquals(before + 1, logins(), "one new login, the proof, for deployment " + i + ": " + fleet.host(0).log());
            assertEquals(1, connector.kept());
        }
        assertEquals(0, connector.active(), "an idle kept connection holds no slot");
    }

    @Test
    void neverWritesOverTheConnectionOfACredentialThePlatformNoLongerUses() {
        assertEquals(1, connector.kept());
        post("/api/credentials/generate", Map.of("name", "rotated")).statusCode(201);
        Fixtures.put("/api/platforms/web-01", platformBody("rotated")).statusCode(200);
        settle();
        String before = fleet.host(0).authorizedKeysText();
        change().body("deployments[0].status", equalTo("failed"))
                .body("deployments[0].error", containsString("refused testum's key"));
        assertEquals(before, fleet.host(0).authorizedKeysText(), "nothing was written over the old credential's connection");
        assertEquals(0, connector.kept());
    }

    @Test
    void forgettingTheHostKeyClosesTheKeptConnectionAndTheNextDeploymentLogsInAnew() {
        assertEquals(1, connector.kept());
        given().delete("/api/platforms/web-01/host-key").then().statusCode(204);
        assertEquals(0, connector.kept());
        long before = logins();
        change().body("deployments[0].status", equalTo("in_sync"));
        assertEquals(before + 2, logins(), "a new login for the write (its host key pinned again), and the proof");
    }

    @Test
    void aKeptConnectionWhoseHostRestartedFallsBackToAFreshLoginAndConverges() {
        assertEquals(1, connector.kept());
        fleet.host(0).kill();
        fleet.host(0).start();
        change().body("deployments[0].status", equalTo("in_sync"));
        assertTrue(holds("extra-1"), fleet.host(0).authorizedKeysText());
        assertEquals(1, connector.kept(), "the new proof login is kept");
    }

    @Test
    void aCommandFailingOnAKeptConnectionStartsOverOnAFreshLoginAndConverges() {
        AtomicInteger failed = new AtomicInteger();
        QuarkusMock.installMockForType(new FileTransport() {
            @Override
            public RemoteFiles files(SshConnection connection) {
                RemoteFiles real = super.files(connection);
                if (!connection.reused() || failed.get() > 0) {
                    return real;
                }
                return new RemoteFiles() {
                    @Override
                    public RemoteFile read(FileLocation location) {
                        failed.incrementAndGet();
                        throw new SshFailure(SshFailure.Kind.UNREACHABLE, "the connection was lost (as a dead host's would be)");
                    }

                    @Override
                    public Outcome replace(FileLocation location, RemoteFile expected, byte[] content, Runnable whileSending) {
                        // the first command fails, whichever it is (a write from what testum last saw needs no read)
                        failed.incrementAndGet();
                        throw new SshFailure(SshFailure.Kind.UNREACHABLE, "the connection was lost (as a dead host's would be)");
                    }

                    @Override
                    public Outcome remove(FileLocation location, RemoteFile expected) {
                        return real.remove(location, expected);
                    }
                };
            }
        }, FileTransport.class);
        long before = logins();
        change().body("deployments[0].status", equalTo("in_sync"));
        assertEquals(1, failed.get(), "the kept connection was tried once, then dropped");
        assertEquals(before + 2, logins(), "a fresh login for the write, and the proof");
        assertTrue(holds("extra-1"), fleet.host(0).authorizedKeysText());
        assertTrue(fleet.host(0).authorizedKeysText().contains(testumKey), "testum's own key is kept");
    }

    /** Counts what the deployments ask of the files: reads and writes, on kept connections and on fresh logins. */
    private static final class Counting extends FileTransport {
        final AtomicInteger keptReads = new AtomicInteger();
        final AtomicInteger freshReads = new AtomicInteger();
        final AtomicInteger writes = new AtomicInteger();
        final AtomicInteger refusedWrites = new AtomicInteger();

        @Override
        public RemoteFiles files(SshConnection connection) {
            RemoteFiles real = super.files(connection);
            return new RemoteFiles() {
                @Override
                public RemoteFile read(FileLocation location) {
                    (connection.reused() ? keptReads : freshReads).incrementAndGet();
                    return real.read(location);
                }

                @Override
                public Outcome replace(FileLocation location, RemoteFile expected, byte[] content, Runnable whileSending) {
                    writes.incrementAndGet();
                    Outcome outcome = real.replace(location, expected, content, whileSending);
                    if (outcome == Outcome.CHANGED) {
                        refusedWrites.incrementAndGet();
                    }
                    return outcome;
                }

                @Override
                public Outcome remove(FileLocation location, RemoteFile expected) {
                    return real.remove(location, expected);
                }
            };
        }
    }

    @Test
    void writesTheNextChangeFromWhatTheLastProofReadWithoutReadingTheFileFirst() {
        Counting counting = new Counting();
        QuarkusMock.installMockForType(counting, FileTransport.class);
        changeInTheBackground();
        assertEquals(0, counting.keptReads.get(), "no read before the write");
        assertEquals(1, counting.writes.get());
        assertEquals(1, counting.freshReads.get(), "the proof reads the file as a new login");
        assertTrue(holds("extra-1"), fleet.host(0).authorizedKeysText());
        deploy().body("deployments[0].status", equalTo("in_sync"));
    }

    @Test
    void aLineAddedOnTheHostSinceTestumLastSawTheFileIsKeptByTheNextChange() {
        String handAdded = KeyGen.publicLine(KeyGen.generate(tmp, "ed25519", 0, null, null, "by-hand@host"));
        fleet.host(0).writeAuthorizedKeys(fleet.host(0).authorizedKeysText() + handAdded + "\n");
        Counting counting = new Counting();
        QuarkusMock.installMockForType(counting, FileTransport.class);
        changeInTheBackground();
        assertEquals(1, counting.refusedWrites.get(), "the write from what testum last saw is refused on the host");
        assertEquals(1, counting.keptReads.get(), "then the file is read");
        assertEquals(2, counting.writes.get());
        String file = fleet.host(0).authorizedKeysText();
        assertTrue(file.contains(handAdded), file);
        assertTrue(holds("extra-1"), file);
        assertTrue(file.contains(testumKey), "testum's own key is kept");
        deploy().body("deployments[0].status", equalTo("in_sync"));
    }
}

package io.testum.deploy;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.testum.testing.Auth;
import io.testum.testing.Fixtures;
import io.testum.testing.KeyGen;
import io.testum.testing.PostgresResource;
import io.testum.testing.SshFleet;
import io.testum.testing.TestDatabase;
import io.testum.testing.WithSshFleet;

/** authorized_keys deployments on real OpenSSH servers. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithSshFleet(hosts = 3, passwords = true)
class DeploymentTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private SshFleet fleet;
    private static final String BEGIN = ManagedBlock.BEGIN + "\n";
    private static final String END = ManagedBlock.END + "\n";

    @Inject
    DeploymentService deployments;

    @TempDir
    Path tmp;

    private String testumKey;
    private Path alice;
    private Path bob;

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        Auth.asAdmin();
        testumKey = post("/api/credentials/generate", Map.of("name", "deployer")).statusCode(201).extract().path("public_key");
        for (SshFleet.Host host : fleet.hosts()) {
            host.stop();
            host.newHostKey();
            host.start();
            host.writeAuthorizedKeys(testumKey + "\n");
        }
        alice = KeyGen.generate(tmp, "ed25519", 0, null, null, "alice@laptop");
        bob = KeyGen.generate(tmp, "ed25519", 0, null, null, "bob@desk");
        Fixtures.key("alice", KeyGen.publicLine(alice));
        Fixtures.key("bob", KeyGen.publicLine(bob));
    }

    private static void platform(String name, SshFleet.Host host, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "host", host.address(), "port", host.port(),
                "username", host.user(), "auth_method", "key", "credential", "deployer"));
        body.putAll(extra);
        post("/api/platforms", body).statusCode(201);
    }

    private static void grant(String name, List<String> keys, String platform, String options) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "keys", keys, "platforms", List.of(platform)));
        if (options != null) {
            body.put("options", options);
        }
        post("/api/access", body).statusCode(201);
    }

    private static ValidatableResponse deploy(String platform) {
        return given().post("/api/platforms/" + platform + "/deploy-keys").then().statusCode(200);
    }

    private String block(String... lines) {
        return BEGIN + String.join("", java.util.Arrays.stream(lines).map(l -> l + "\n").toList()) + END;
    }

    private static String line(Path key) {
        return KeyGen.publicLine(key);
    }

    @Test
    void writesTheBlockToAHostWithoutSshDirectoryOverAPasswordLogin() throws Exception {
        SshFleet.Host host = fleet.host(0);
        SshFleet.deleteTree(host.home().resolve(".ssh"));
        host.setPassword("host-password-0");
        post("/api/credentials/import", Map.of("name", "pw", "password", "host-password-0")).statusCode(201);
        Map<String, Object> extra = new HashMap<>();
        extra.put("auth_method", "password");
        extra.put("credential", "pw");
        platform("web-01", host, extra);
        grant("admins", List.of("alice"), "web-01", null);

        deploy("web-01").body("deployments[0].status", equalTo("in_sync"))
                .body("deployments[0].user", equalTo(host.user()))
                .body("deployments[0].keys", equalTo(List.of("alice")));

        assertEquals(block(line(alice)), host.authorizedKeysText());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(host.home().resolve(".ssh"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(host.authorizedKeys())));
        assertEquals(host.user(), Files.getOwner(host.authorizedKeys()).getName());
        assertTrue(host.acceptsLogin(alice), "alice logs in with OpenSSH's client");
        assertFalse(host.acceptsLogin(bob), "bob, without a grant, does not");
    }

    @Test
    void keepsEveryOtherByteOfAnExistingFile() {
        SshFleet.Host host = fleet.host(0);
        String own = "# hand-written\r\n" + testumKey + "\r\n\r\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOwn own@key";
        host.writeAuthorizedKeys(own);
        platform("web-01", host, Map.of());
        grant("admins", List.of("alice"), "web-01", null);
        deploy("web-01").body("deployments[0].status", equalTo("in_sync"));

        String expected = block(line(alice), testumKey) + own;
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), host.authorizedKeysBytes());
        assertTrue(host.acceptsLogin(alice));
    }

    @Test
    void writesOnlyTheBlockInExclusiveModeAndKeepsTestumsKey() {
        SshFleet.Host host = fleet.host(0);
        host.writeAuthorizedKeys(testumKey + "\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIStray stray@somewhere\n");
        platform("web-01", host, Map.of("authorized_keys_mode", "exclusive"));
        grant("admins", List.of("bob"), "web-01", null);
        deploy("web-01").body("deployments[0].keys", equalTo(List.of("bob", "testum:deployer")));
        assertEquals(block(line(bob), testumKey), host.authorizedKeysText());
        deploy("web-01").body("deployments[0].status", equalTo("in_sync"));
    }

    @Test
    void putsOptionsOnTheLineAndRemovesAKeyWhoseGrantIsGone() {
        SshFleet.Host host = fleet.host(0);
        platform("web-01", host, Map.of());
        grant("alice-only-local", List.of("alice"), "web-01", "from=\"127.0.0.1\",no-agent-forwarding");
        grant("bob-elsewhere", List.of("bob"), "web-01", "from=\"192.0.2.1\"");
        deploy("web-01");
        assertTrue(host.authorizedKeysText().contains("from=\"127.0.0.1\",no-agent-forwarding " + line(alice) + "\n"));
        assertTrue(host.acceptsLogin(alice));
        assertFalse(host.acceptsLogin(bob), "from= keeps bob out");

        given().delete("/api/access/alice-only-local").then().statusCode(204);
        deploy("web-01");
        assertFalse(host.authorizedKeysText().contains(line(alice)));
        assertFalse(host.acceptsLogin(alice));
    }

    @Test
    void keepsTestumsOwnKeyWhenNoGrantNamesIt() {
        SshFleet.Host host = fleet.host(0);
        platform("web-01", host, Map.of("authorized_keys_mode", "exclusive"));
        grant("admins", List.of("alice"), "web-01", null);
        deploy("web-01");
        assertTrue(host.authorizedKeysText().contains(testumKey));
        given().delete("/api/access/admins").then().statusCode(204);
        deploy("web-01").body("deployments[0].status", equalTo("in_sync"));
        assertEquals(block(testumKey), host.authorizedKeysText());
        given().post("/api/platforms/web-01/test-ssh").then().statusCode(200).body("authenticated", equalTo(true));
    }

    @Test
    void putsTheOldFileBackWhenTheHostRejectsTheNewOne() throws Exception {
        SshFleet.Host host = fleet.host(0);
        String before = testumKey + "\n";
        platform("web-01", host, Map.of());
        AtomicInteger writes = new AtomicInteger();
        QuarkusMock.installMockForType(new DeploymentHooks() {
            @Override
            public void afterWrite(String platform, String account, String path) {
                if (writes.incrementAndGet() == 1) {
                    // sshd's StrictModes refuses a world-writable authorized_keys
                    host.asRoot("chmod", "o+w", host.authorizedKeys().toString());
                }
            }
        }, DeploymentHooks.class);
        grant("admins", List.of("alice"), "web-01", null);

        await().atMost(WAIT).until(() -> statuses("web-01"), all("failed"));
        given().get("/api/platforms/web-01/authorized-keys").then()
                .body("deployments[0].error", containsString("could no longer log in"))
                .body("deployments[0].error", containsString("previous file is restored"));
        assertEquals(before, host.authorizedKeysText());
        assertEquals(host.user(), Files.getOwner(host.authorizedKeys()).getName());
        given().post("/api/platforms/web-01/test-ssh").then().body("authenticated", equalTo(true));
    }

    @Test
    void provesTheWriteByReadingOverAFreshLoginAndPutsTheOldFileBackWhenThatFails() {
        SshFleet.Host host = fleet.host(0);
        String before = testumKey + "\n";
        platform("web-01", host, Map.of());
        QuarkusMock.installMockForType(new DeploymentHooks() {
            @Override
            public void afterWrite(String platform, String account, String path) {
                // from now on a login is let in but runs nothing of its own, as command= would make it
                host.reconfigure("ForceCommand true");
            }
        }, DeploymentHooks.class);
        try {
            grant("admins", List.of("alice"), "web-01", null);
            await().atMost(WAIT).until(() -> statuses("web-01"), all("failed"));
        } finally {
            host.reconfigure();
        }
        given().get("/api/platforms/web-01/authorized-keys").then()
                .body("deployments[0].error", containsString("could no longer log in and read it"))
                .body("deployments[0].error", containsString("forced command"))
                .body("deployments[0].error", containsString("the previous file is restored"));
        assertEquals(before, host.authorizedKeysText());
    }

    @Test
    void putsTheOldFileBackOverANewConnectionWhenTheFirstIsLost() {
        SshFleet.Host host = fleet.host(0);
        String before = testumKey + "\n";
        platform("web-01", host, Map.of());
        QuarkusMock.installMockForType(new DeploymentHooks() {
            @Override
            public void afterWrite(String platform, String account, String path) {
                host.stop();
            }

            @Override
            public void beforeRestore(String platform, String account, String path) {
                host.start();
            }
        }, DeploymentHooks.class);
        grant("admins", List.of("alice"), "web-01", null);
        await().atMost(WAIT).until(() -> statuses("web-01"), all("failed"));
        given().get("/api/platforms/web-01/authorized-keys").then()
                .body("deployments[0].error", containsString("could no longer log in"))
                .body("deployments[0].error", containsString("the previous file is restored over a new connection"));
        assertEquals(before, host.authorizedKeysText());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"restrict", "command=\"/bin/true\"", "from=\"192.0.2.1\""})
    void refusesAGrantThatPutsOptionsOnTestumsOwnKey(String options) {
        SshFleet.Host host = fleet.host(0);
        platform("web-01", host, Map.of("authorized_keys_mode", "exclusive"));
        Fixtures.key("robot", testumKey);
        var modified = host.authorizedKeysModified();
        grant("aaa-robots", List.of("robot", "alice"), "web-01", options);
        deploy("web-01").body("deployments[0].status", equalTo("failed"))
                .body("deployments[0].error", containsString("grant 'aaa-robots' puts options"))
                .body("deployments[0].error", containsString("testum's own login key"));
        assertEquals(testumKey + "\n", host.authorizedKeysText());
        assertEquals(modified, host.authorizedKeysModified());
        deployments.periodic();
        assertEquals(testumKey + "\n", host.authorizedKeysText(), "the periodic pass does not write it either");

        Fixtures.put("/api/access/aaa-robots", Map.of("keys", List.of("robot", "alice"), "platforms", List.of("web-01")))
                .statusCode(200);
        await().atMost(WAIT).until(() -> statuses("web-01"), all("in_sync"));
        assertTrue(host.acceptsLogin(alice));
        given().post("/api/platforms/web-01/test-ssh").then().body("authenticated", equalTo(true));
    }

    @Test
    void listsTheDeploymentsOfTheWholeFleetInOneCall() {
        platform("web-01", fleet.host(0), Map.of());
        platform("web-02", fleet.host(1), Map.of());
        post("/api/access", Map.of("name", "both", "keys", List.of("alice"), "platforms", List.of("web-01", "web-02")))
                .statusCode(201);
        await().atMost(WAIT).until(() -> statuses("web-01"), all("in_sync"));
        await().atMost(WAIT).until(() -> statuses("web-02"), all("in_sync"));
        String hash = given().get("/api/platforms/web-01/authorized-keys").then().extract().path("deployments[0].deployed_hash");
        given().get("/api/deployments?status=in_sync&deployed_hash=" + hash).then().statusCode(200)
                .body("total", equalTo(2)).body("items.platform", equalTo(List.of("web-01", "web-02")))
                .body("items[0].user", equalTo(fleet.host(0).user()));
        given().get("/api/deployments?status=failed").then().body("total", equalTo(0));
        given().get("/api/deployments?platform=web-02&size=1").then().body("total", equalTo(1)).body("size", equalTo(1));
        given().get("/api/deployments?status=fine").then().statusCode(400);
    }

    @Test
    void refusesAChangedHostKeyAndLeavesTheFileAlone() {
        SshFleet.Host host = fleet.host(0);
        platform("web-01", host, Map.of());
        given().post("/api/platforms/web-01/test-ssh").then().statusCode(200)
                .body("reachable", equalTo(true)).body("authenticated", equalTo(true))
                .body("host_key_fingerprint", equalTo(host.hostKeyFingerprint()));
        host.stop();
        host.newHostKey();
        host.start();
        var modified = host.authorizedKeysModified();
        grant("admins", List.of("alice"), "web-01", null);
        deploy("web-01").body("deployments[0].status", equalTo("host_key_mismatch"))
                .body("deployments[0].error", containsString(host.hostKeyFingerprint()));
        assertEquals(testumKey + "\n", host.authorizedKeysText());
        assertEquals(modified, host.authorizedKeysModified());

        given().delete("/api/platforms/web-01/host-key").then().statusCode(204);
        deploy("web-01").body("deployments[0].status", equalTo("in_sync"));
        assertTrue(host.acceptsLogin(alice));
    }

    @Test
    void marksADownHostUnreachableAndServesTheOthers() {
        platform("web-01", fleet.host(0), Map.of());
        platform("web-02", fleet.host(1), Map.of());
        post("/api/access", Map.of("name", "both", "keys", List.of("alice"), "platforms", List.of("web-01", "web-02")))
                .statusCode(201);
        fleet.host(1).stop();
        deploy("web-02").body("deployments[0].status", equalTo("unreachable"))
                .body("deployments[0].error", containsString("unreachable"));
        deploy("web-01").body("deployments[0].status", equalTo("in_sync"));
        fleet.host(1).start();
    }

    @Test
    void leavesTheOldFileIntactWhenSshdDiesMidwayAndCleansUpAfterwards() {
        SshFleet.Host host = fleet.host(0);
        platform("web-01", host, Map.of());
        AtomicInteger renames = new AtomicInteger();
        QuarkusMock.installMockForType(new DeploymentHooks() {
            @Override
            public void beforeRename(String platform, String account, String path) {
                if (renames.incrementAndGet() == 1) {
                    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                            .until(() -> holdsATemporaryFile(host.home().resolve(".ssh")));
                    host.kill();
                }
            }
        }, DeploymentHooks.class);
        grant("admins", List.of("alice"), "web-01", null);
        deploy("web-01").body("deployments[0].status", equalTo("unreachable"));
        assertEquals(testumKey + "\n", host.authorizedKeysText(), "the old file is intact");
        assertTrue(host.sshDirectory().stream().anyMatch(f -> f.contains(".testum-")), "the temporary file stayed behind");

        host.start();
        deploy("web-01").body("deployments[0].status", equalTo("in_sync"));
        assertEquals(List.of("authorized_keys"), host.sshDirectory(), "no temporary file is left");
        assertTrue(host.acceptsLogin(alice));
    }

    @Test
    void loosesNoLineWrittenByAnotherHandDuringADeployment() {
        SshFleet.Host host = fleet.host(0);
        platform("web-01", host, Map.of());
        String theirs = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITheirs added@meanwhile";
        AtomicInteger renames = new AtomicInteger();
        QuarkusMock.installMockForType(new DeploymentHooks() {
            @Override
            public void beforeRename(String platform, String account, String path) {
                if (renames.incrementAndGet() == 1) {
                    host.writeAuthorizedKeys(host.authorizedKeysText() + theirs + "\n");
                }
            }
        }, DeploymentHooks.class);
        grant("admins", List.of("alice"), "web-01", null);
        deploy("web-01").body("deployments[0].status", equalTo("in_sync"));
        String file = host.authorizedKeysText();
        assertTrue(file.contains(theirs + "\n"), file);
        assertTrue(file.contains(line(alice)), file);
        assertTrue(renames.get() >= 2, "it read the file again");
    }

    @Test
    void leavesAFileThatAlreadyHoldsTheBlockUntouched() throws Exception {
        SshFleet.Host host = fleet.host(0);
        platform("web-01", host, Map.of());
        grant("admins", List.of("alice"), "web-01", null);
        deploy("web-01");
        var modified = host.authorizedKeysModified();
        long inode = (long) Files.getAttribute(host.authorizedKeys(), "unix:ino");
        // an hour back, so that any rewrite, however soon, would show in the modification time
        FileTime anHourAgo = FileTime.from(modified.toInstant().minus(Duration.ofHours(1)));
        Files.setLastModifiedTime(host.authorizedKeys(), anHourAgo);
        deploy("web-01").body("deployments[0].status", equalTo("in_sync"));
        assertEquals(anHourAgo, host.authorizedKeysModified());
        assertEquals(inode, (long) Files.getAttribute(host.authorizedKeys(), "unix:ino"));
    }

    @Test
    void deploysAChangeThroughTheApiToTheAffectedHostOnly() throws Exception {
        platform("web-01", fleet.host(0), Map.of());
        platform("web-02", fleet.host(1), Map.of());
        grant("one", List.of("alice"), "web-01", null);
        grant("two", List.of("alice"), "web-02", null);
        await().atMost(WAIT).until(() -> statuses("web-01"), all("in_sync"));
        await().atMost(WAIT).until(() -> statuses("web-02"), all("in_sync"));
        long connectionsToTwo = accepted(fleet.host(1));

        Fixtures.put("/api/access/one", Map.of("keys", List.of("alice", "bob"), "platforms", List.of("web-01")))
                .statusCode(200);
        await().atMost(WAIT).until(() -> fleet.host(0).authorizedKeysText(), containsString(line(bob)));
        await("no connection to the untouched host").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> accepted(fleet.host(1)), equalTo(connectionsToTwo));
        assertTrue(fleet.host(0).acceptsLogin(bob));
    }

    @Test
    void repairsABlockChangedOnTheHostAndShowsTheLines() {
        SshFleet.Host host = fleet.host(0);
        platform("web-01", host, Map.of());
        grant("admins", List.of("alice"), "web-01", null);
        deploy("web-01");
        // the grant's own background deployment must not repair the tampering before the drift check sees it
        await().atMost(WAIT).until(() -> !deployments.busy());
        String tampered = host.authorizedKeysText().replace(line(alice) + "\n", line(bob) + "\n");
        host.writeAuthorizedKeys(tampered);

        deployments.periodic();

        assertTrue(host.authorizedKeysText().contains(line(alice)));
        assertFalse(host.authorizedKeysText().contains(line(bob)));
        given().get("/api/platforms/web-01/authorized-keys").then()
                .body("deployments[0].status", equalTo("in_sync"))
                .body("deployments[0].drifted_lines.added", equalTo(List.of(line(bob))))
                .body("deployments[0].drifted_lines.removed", equalTo(List.of(line(alice))))
                .body("deployments[0].drifted_lines.repaired", equalTo(true));
    }

    @Test
    void writesToNeitherOfTwoPlatformsOnTheSameHostAndPort() {
        SshFleet.Host host = fleet.host(2);
        platform("web-01", host, Map.of());
        platform("web-01-alias", host, Map.of());
        grant("one", List.of("alice"), "web-01", null);
        var modified = host.authorizedKeysModified();
        deploy("web-01").body("deployments[0].status", equalTo("failed"))
                .body("deployments[0].error", containsString("collision"))
                .body("deployments[0].error", containsString("web-01-alias"));
        assertEquals(modified, host.authorizedKeysModified());
        String hold = "SELECT coalesce(d.hold, '-') FROM deployments d JOIN platforms p ON p.id = d.platform_id "
                + "WHERE p.name = 'web-01'";
        assertEquals("collision", TestDatabase.rows(hold).get(0).get(0), "held back, typed");
        given().delete("/api/platforms/web-01-alias").then().statusCode(204);
        deploy("web-01").body("deployments[0].status", equalTo("in_sync"));
        assertEquals("-", TestDatabase.rows(hold).get(0).get(0), "released once resolved");
    }

    @Test
    void writesACustomPathCreatingItsDirectories() throws Exception {
        SshFleet.Host host = fleet.host(1);
        platform("web-02", host, Map.of("authorized_keys_path", "~/.ssh/managed/keys/authorized_keys2"));
        grant("admins", List.of("alice"), "web-02", null);
        deploy("web-02").body("deployments[0].path", equalTo("~/.ssh/managed/keys/authorized_keys2"))
                .body("deployments[0].status", equalTo("in_sync"));
        Path file = host.home().resolve(".ssh/managed/keys/authorized_keys2");
        assertEquals(block(line(alice), testumKey), Files.readString(file));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent().getParent())));
        assertEquals(testumKey + "\n", host.authorizedKeysText(), "the default file is not touched");
    }

    @Test
    void explainsThatAnotherAccountNeedsARootLogin() {
        platform("web-01", fleet.host(0), Map.of());
        post("/api/access", Map.of("name", "ops", "keys", List.of("alice"), "platforms", List.of("web-01"), "user", "ops"))
                .statusCode(201);
        deploy("web-01").body("deployments.find { it.user == 'ops' }.status", equalTo("failed"))
                .body("deployments.find { it.user == 'ops' }.error", containsString("needs a login as root"));
    }

    /** Whether a deployment's temporary file is in {@code directory}. */
    static boolean holdsATemporaryFile(Path directory) {
        return SshFleet.listing(directory).stream().anyMatch(f -> f.contains(".testum-"));
    }

    private static long accepted(SshFleet.Host host) {
        return host.log().lines().filter(l -> l.contains("Accepted publickey")).count();
    }

    /** The statuses of {@code platform}'s deployments, as the API shows them. */
    private static List<String> statuses(String platform) {
        return given().get("/api/platforms/" + platform + "/authorized-keys").then().extract().path("deployments.status");
    }

    /** At least one deployment, and every one {@code status}. */
    private static Predicate<List<String>> all(String status) {
        return statuses -> !statuses.isEmpty() && statuses.stream().allMatch(status::equals);
    }
}

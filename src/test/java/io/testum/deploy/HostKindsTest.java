package io.testum.deploy;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.testum.testing.Auth;
import io.testum.testing.Fixtures;
import io.testum.testing.KeyGen;
import io.testum.testing.PostgresResource;
import io.testum.testing.SshFleet.Kind;
import io.testum.testing.SshFleet;
import io.testum.testing.TestDatabase;
import io.testum.testing.WithSshFleet;

/**
 * Deployments to the kinds of host a mixed fleet holds, none of which offers SFTP to testum:
 * OpenSSH without an SFTP subsystem, an account whose shell and tools are BusyBox only, dropbear.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithSshFleet(kinds = {Kind.OPENSSH_NO_SFTP, Kind.BUSYBOX, Kind.DROPBEAR})
class HostKindsTest {

    private SshFleet fleet;

    @Inject
    DeploymentService deployments;

    @TempDir
    Path tmp;

    private String testumKey;

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        Auth.asAdmin();
        testumKey = post("/api/credentials/generate", Map.of("name", "deployer")).statusCode(201).extract().path("public_key");
    }

    private SshFleet.Host host(SshFleet.Kind kind) {
        return fleet.hosts().stream().filter(h -> h.kind() == kind).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(value = SshFleet.Kind.class, names = {"OPENSSH_NO_SFTP", "BUSYBOX", "DROPBEAR"})
    void convergesAndRepairsDriftOnAHostWithoutSftp(SshFleet.Kind kind) throws Exception {
        SshFleet.Host host = host(kind);
        String unmanaged = "# written by hand\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOwnUnmanaged someone@else";
        host.writeAuthorizedKeys(testumKey + "\n" + unmanaged);
        Path alice = KeyGen.generate(tmp, "ed25519", 0, null, null, "alice@laptop");
        Path bob = KeyGen.generate(tmp, "ed25519", 0, null, null, "bob@desk");
        Fixtures.key("alice", KeyGen.publicLine(alice));
        Fixtures.key("bob", KeyGen.publicLine(bob));
        post("/api/platforms", Map.of("name", "edge", "host", host.address(), "port", host.port(), "username", host.user(),
                "auth_method", "key", "credential", "deployer")).statusCode(201);
        post("/api/access", Map.of("name", "admins", "keys", List.of("alice"), "platforms", List.of("edge"))).statusCode(201);

        given().post("/api/platforms/edge/deploy-keys").then().statusCode(200)
                .body("deployments[0].status", equalTo("in_sync")).body("deployments[0].error", equalTo(null));
        String block = ManagedBlock.BEGIN + "\n" + KeyGen.publicLine(alice) + "\n" + testumKey + "\n" + ManagedBlock.END + "\n";
        assertEquals(block + testumKey + "\n" + unmanaged, host.authorizedKeysText());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(host.authorizedKeys())));
        assertEquals(host.user(), Files.getOwner(host.authorizedKeys()).getName());
        assertTrue(host.acceptsLogin(alice), "alice logs in");
        if (kind == SshFleet.Kind.BUSYBOX) {
            assertEquals(Path.of("/bin/busybox").toRealPath() + "\n" + host.dir().resolve("bin") + "\n",
                    host.ssh(host.user(), alice, "readlink /proc/$$/exe; echo $PATH"), "the login shell and PATH are BusyBox's");
        }
        assertFalse(host.acceptsLogin(bob));
        assertEquals(List.of("authorized_keys"), host.sshDirectory(), "no temporary file is left");

        host.writeAuthorizedKeys(host.authorizedKeysText().replace(KeyGen.publicLine(alice), KeyGen.publicLine(bob)));
        deployments.periodic();
        given().get("/api/platforms/edge/authorized-keys").then().body("deployments[0].status", equalTo("in_sync"))
                .body("deployments[0].drifted_lines.added", equalTo(List.of(KeyGen.publicLine(bob))))
                .body("deployments[0].drifted_lines.repaired", equalTo(true));
        assertEquals(block + testumKey + "\n" + unmanaged, host.authorizedKeysText());
    }

    @ParameterizedTest
    @EnumSource(value = SshFleet.Kind.class, names = {"OPENSSH_NO_SFTP", "BUSYBOX", "DROPBEAR"})
    void aScriptRunsWithItsArgsAndEnvOnEveryKindOfHost(SshFleet.Kind kind) {
        SshFleet.Host host = host(kind);
        host.writeAuthorizedKeys(testumKey + "\n");
        post("/api/platforms", Map.of("name", "edge", "host", host.address(), "port", host.port(), "username", host.user(),
                "auth_method", "key", "credential", "deployer")).statusCode(201);
        String id = post("/api/runs", Map.of("script", "echo \"$1/$2/$GREETING\"\nexit 3\n", "args", List.of("a b", "it's"),
                "env", Map.of("GREETING", "hi there"), "targets", Map.of("platforms", List.of("edge")))).statusCode(202)
                .extract().path("id");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> given().get("/api/runs/" + id)
                .then().extract().path("finished_at") != null);
        given().get("/api/runs/" + id).then().body("results[0].stdout", equalTo("a b/it's/hi there\n"))
                .body("results[0].exit_code", equalTo(3)).body("results[0].stderr", equalTo(""));
    }
}

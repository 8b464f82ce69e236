package io.testum.gitops;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.testum.deploy.DeploymentService;
import io.testum.testing.Auth;
import io.testum.testing.GitRepo;
import io.testum.testing.GitRepoResource;
import io.testum.testing.KeyGen;
import io.testum.testing.PostgresResource;
import io.testum.testing.SshFleet;
import io.testum.testing.TestDatabase;
import io.testum.testing.WithSshFleet;

/** A push reaches real OpenSSH hosts; a bad push reaches nothing. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(GitRepoResource.class)
@WithSshFleet(hosts = 2)
class GitopsEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private SshFleet fleet;

    @Inject
    DeploymentService deployments;

    @TempDir
    Path tmp;

    private GitRepo repo;
    private Path alice;
    private Path bob;

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        Auth.asAdmin();
        String testumKey = post("/api/credentials/generate", Map.of("name", "deployer")).statusCode(201).extract()
                .path("public_key");
        for (SshFleet.Host host : fleet.hosts()) {
            host.writeAuthorizedKeys(testumKey + "\n");
        }
        alice = KeyGen.generate(tmp, "ed25519", 0, null, null, "alice@laptop");
        bob = KeyGen.generate(tmp, "ed25519", 0, null, null, "bob@desk");
    }

    private String document(List<String> keys) {
        StringBuilder doc = new StringBuilder("ssh_keys:\n");
        doc.append("  - name: alice\n    public_key: \"").append(KeyGen.publicLine(alice)).append("\"\n");
        doc.append("  - name: bob\n    public_key: \"").append(KeyGen.publicLine(bob)).append("\"\n");
        doc.append("platforms:\n");
        for (int i = 0; i < fleet.hosts().size(); i++) {
            SshFleet.Host host = fleet.host(i);
            doc.append("  - name: web-0").append(i + 1).append("\n    host: 127.0.0.1\n    port: ").append(host.port())
                    .append("\n    username: ").append(host.user()).append("\n    auth_method: key\n    credential: deployer\n")
                    .append("    labels: {role: web}\n");
        }
        doc.append("access:\n  - name: web-admins\n    keys: ").append(keys).append("\n    selector: {role: web}\n");
        return doc.toString();
    }

    private static void sync() {
        given().post("/api/gitops/sources/ops/sync?wait=true").then().statusCode(200);
    }

    /** Whether {@code condition} holds on every host. */
    private boolean everyHost(Predicate<SshFleet.Host> condition) {
        return fleet.hosts().stream().allMatch(condition);
    }

    @Test
    void aPushPutsTheBlockOnTheHostsAndAPushThatRemovesAKeyRemovesIt() throws Exception {
        repo.commit("testum.yaml", document(List.of("alice", "bob")), "grant alice and bob");
        post("/api/gitops/sources", Map.of("name", "ops", "url", repo.url())).statusCode(201);
        sync();
        // Logins are part of the condition: on a loaded machine a first ssh attempt can fail for reasons of its own.
        await("bob's key on every host, alice and bob let in").atMost(WAIT).until(() -> everyHost(
                h -> h.authorizedKeysText().contains(KeyGen.publicLine(bob)) && h.acceptsLogin(alice) && h.acceptsLogin(bob)));

        repo.commit("testum.yaml", document(List.of("alice")), "revoke bob");
        sync();
        await("bob's key gone everywhere, alice still let in").atMost(WAIT).until(() -> everyHost(
                h -> !h.authorizedKeysText().contains(KeyGen.publicLine(bob)) && h.acceptsLogin(alice)));
        for (SshFleet.Host host : fleet.hosts()) {
            assertFalse(host.acceptsLogin(bob));
        }
    }

    @Test
    void anInvalidPushChangesNothingAnywhere() throws Exception {
        repo.commit("testum.yaml", document(List.of("alice")), "grant alice");
        post("/api/gitops/sources", Map.of("name", "ops", "url", repo.url())).statusCode(201);
        sync();
        await("alice's key on every host").atMost(WAIT)
                .until(() -> everyHost(h -> h.authorizedKeysText().contains(KeyGen.publicLine(alice))));
        List<String> before = fleet.hosts().stream().map(SshFleet.Host::authorizedKeysText).toList();

        repo.commit("testum.yaml", document(List.of("alice", "bob", "mallory")), "grant someone unknown");
        given().post("/api/gitops/sources/ops/sync?wait=true").then().statusCode(200)
                .body("result", equalTo("stalled"))
                .body("errors[0].file", equalTo("testum.yaml"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("mallory"));
        await("no host's file changes").during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10))
                .until(() -> fleet.hosts().stream().map(SshFleet.Host::authorizedKeysText).toList(), equalTo(before));
        given().get("/api/access/web-admins").then().body("keys", equalTo(List.of("alice")));
        given().get("/api/gitops/sources/ops/status").then().body("ready", equalTo(false))
                .body("errors[0].line", org.hamcrest.Matchers.greaterThan(0));
    }

    @Test
    void aSourceThatSaysDriftReportMarksATamperedBlockDriftedAndLeavesTheHostsFileAlone() {
        repo.commit("testum.yaml", document(List.of("alice")) + "settings:\n  drift: report\n", "report drift only");
        post("/api/gitops/sources", Map.of("name", "ops", "url", repo.url())).statusCode(201);
        sync();
        SshFleet.Host host = fleet.host(0);
        await("alice's key on the host").atMost(WAIT).until(() -> host.authorizedKeysText().contains(KeyGen.publicLine(alice)));
        await().atMost(WAIT).until(() -> !deployments.busy());
        String tampered = host.authorizedKeysText().replace(KeyGen.publicLine(alice), KeyGen.publicLine(bob));
        host.writeAuthorizedKeys(tampered);

        deployments.periodic();

        assertEquals(tampered, host.authorizedKeysText());
        given().get("/api/platforms/web-01/authorized-keys").then()
                .body("deployments[0].status", equalTo("drifted"))
                .body("deployments[0].drifted_lines.added[0]", org.hamcrest.Matchers.containsString(KeyGen.publicLine(bob)))
                .body("deployments[0].drifted_lines.removed[0]", org.hamcrest.Matchers.containsString(KeyGen.publicLine(alice)));
    }
}

package io.testum.it;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.path.json.JsonPath;
import io.testum.testing.Auth;
import io.testum.testing.GitRepo;
import io.testum.testing.KeyGen;
import io.testum.testing.PostgresResource;
import io.testum.testing.SshFleet;
import io.testum.testing.WithSshFleet;

/**
 * The packaged service (the jar, or the native executable when built with
 * {@code -Dquarkus.native.enabled=true}) end to end over HTTP: login, CRUD, a GitOps sync from a
 * local repository, the deployment it causes and a run, on real sshd hosts.
 */
@QuarkusIntegrationTest
@WithTestResource(PostgresResource.class)
@WithSshFleet(hosts = 2)
@WithTestResource(PackagedServiceIT.Settings.class)
class PackagedServiceIT {

    static final String ADMIN_PASSWORD = "integration-admin-password";

    /** What a production start needs that the test profile would otherwise give. */
    public static class Settings implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of("testum.master-key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
                    "testum.admin.password", ADMIN_PASSWORD,
                    "testum.data-dir", Path.of("target", "it-data-" + System.nanoTime()).toAbsolutePath().toString(),
                    "testum.leader-election", "none");
        }

        @Override
        public void stop() {
        }
    }

    private SshFleet fleet;

    @Test
    void logsInSyncsFromGitDeploysAndRunsOnRealHosts() throws Exception {
        Auth.as(Auth.login("admin", ADMIN_PASSWORD));
        String testumKey = post("/api/credentials/generate", Map.of("name", "deployer")).statusCode(201).extract()
                .path("public_key");
        Path work = Files.createTempDirectory("it");
        Path alice = KeyGen.generate(work, "ed25519", 0, null, null, "alice@laptop");
        StringBuilder doc = new StringBuilder("ssh_keys:\n  - name: alice\n    public_key: \"")
                .append(KeyGen.publicLine(alice)).append("\"\nplatforms:\n");
        for (int i = 0; i < 2; i++) {
            SshFleet.Host host = fleet.host(i);
            host.writeAuthorizedKeys(testumKey + "\n");
            doc.append("  - name: host-").append(i).append("\n    host: 127.0.0.1\n    port: ").append(host.port())
                    .append("\n    username: ").append(host.user()).append("\n    auth_method: key\n    credential: deployer\n")
                    .append("    labels: {tier: web}\n");
        }
        doc.append("access:\n  - name: web\n    keys: [alice]\n    selector: {tier: web}\n");
        GitRepo repo = GitRepo.init(work.resolve("repo"));
        String revision = repo.commit("testum.yaml", doc.toString(), "two hosts");

        post("/api/gitops/sources", Map.of("name", "ops", "url", repo.url(), "interval", "1h")).statusCode(201);
        given().post("/api/gitops/sources/ops/sync?wait=true").then().statusCode(200)
                .body("result", equalTo("applied")).body("revision", equalTo(revision));

        for (int i = 0; i < 2; i++) {
            String name = "host-" + i;
            await(name + " in sync").atMost(Duration.ofSeconds(60)).until(() -> given()
                    .get("/api/platforms/" + name + "/authorized-keys").then().extract().path("deployments[0].status"),
                    equalTo("in_sync"));
            assertTrue(fleet.host(i).authorizedKeysText().contains(KeyGen.publicLine(alice)));
        }

        String run = post("/api/runs", Map.of("command", "echo hello from $(id -un)", "targets",
                Map.of("selector", Map.of("tier", "web")))).statusCode(202).extract().path("id");
        await("the run").atMost(Duration.ofSeconds(60))
                .until(() -> given().get("/api/runs/" + run).then().extract().path("status"), equalTo("succeeded"));
        JsonPath result = given().get("/api/runs/" + run).then().extract().jsonPath();
        assertTrue(result.getString("results[0].stdout").startsWith("hello from tsth"));

        post("/api/keys", Map.of("name", "bob", "public_key", KeyGen.publicLine(KeyGen.generate(work, "ed25519", 0, null,
                null, "bob")))).statusCode(201);
        given().get("/api/keys/bob").then().statusCode(200).body("type", equalTo("ssh-ed25519"));
        given().delete("/api/keys/bob").then().statusCode(204);
        given().get("/api/keys/bob").then().statusCode(404);
        given().get("/api/health").then().statusCode(200).body("database", equalTo("up"));
        given().get("/api/keys?q=alice").then().body("items.name", equalTo(List.of("alice")));
    }

    /** A production start shows anonymous callers only the probes and whether it is up; Swagger UI is off. */
    @Test
    void showsAnonymousCallersOnlyTheProbesAndTheStateInProduction() {
        Auth.anonymous();
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/api/health").then().statusCode(200).body("status", equalTo("up"))
                .body("version", org.hamcrest.Matchers.nullValue()).body("gitops", org.hamcrest.Matchers.nullValue());
        given().get("/q/metrics").then().statusCode(401);
        given().get("/q/openapi").then().statusCode(401);
        String admin = Auth.login("admin", ADMIN_PASSWORD);
        given().header("Authorization", "Bearer " + admin).get("/q/swagger-ui/").then().statusCode(404);
        given().header("Authorization", "Bearer " + admin).get("/q/metrics").then().statusCode(200);
        given().header("Authorization", "Bearer " + admin).get("/api/health").then().statusCode(200)
                .body("version", org.hamcrest.Matchers.notNullValue());
    }

}

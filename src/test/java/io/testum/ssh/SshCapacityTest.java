package io.testum.ssh;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.testum.testing.Auth;
import io.testum.testing.KeyGen;
import io.testum.testing.PostgresResource;
import io.testum.testing.SshFleet;
import io.testum.testing.TestDatabase;
import io.testum.testing.WithSshFleet;

/**
 * SSH capacity shared out by kind of work, on real sshd hosts: a run that fills its share does not
 * delay a deployment or a test-ssh, and a viewer who hammers {@code stats?refresh=true} gets 429
 * beyond their share instead of taking connections. Three slots: one reserved for deployments, one
 * for interactive calls, so runs hold at most one.
 */
@QuarkusTest
@TestProfile(SshCapacityTest.Profile.class)
@WithTestResource(PostgresResource.class)
@WithSshFleet(hosts = 4)
class SshCapacityTest {

    public static final class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("testum.ssh.max-concurrency", "3", "testum.ssh.reserved-for-deployments", "1",
                    "testum.ssh.interactive-concurrency", "1", "testum.ssh.interactive-per-user", "3",
                    "testum.ssh.interactive-window", "10m");
        }
    }

    private SshFleet fleet;

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        Auth.asAdmin();
        String key = post("/api/credentials/generate", Map.of("name", "deployer")).statusCode(201).extract().path("public_key");
        for (int i = 0; i < fleet.hosts().size(); i++) {
            SshFleet.Host host = fleet.host(i);
            host.writeAuthorizedKeys(key + "\n");
            post("/api/platforms", Map.of("name", "host-" + i, "host", host.address(), "port", host.port(),
                    "username", host.user(), "auth_method", "key", "credential", "deployer",
                    "labels", Map.of("fleet", i < 3 ? "busy" : "quiet"))).statusCode(201);
        }
    }

    private static String runStatus(String id) {
        return given().get("/api/runs/" + id).then().statusCode(200).extract().path("status");
    }

    private static int running(String id) {
        List<String> statuses = given().get("/api/runs/" + id).then().statusCode(200).extract().path("results.status");
        return (int) statuses.stream().filter("running"::equals).count();
    }
    @Test
    void aRunThatFillsItsShareDelaysNeitherADeploymentNorATestSsh() throws Exception {
        String run = post("/api/runs", Map.of("command", "sleep 120", "targets", Map.of("selector", Map.of("fleet", "busy")),
                "concurrency", 3, "timeout_seconds", 300)).statusCode(202).extract().path("id");
        try {
            await("the run started").atMost(Duration.ofSeconds(60)).until(() -> running(run) >= 1);
            // Runs hold at most one slot: the run keeps one host running and starts no second one.
            await("the run holds its one slot and starts no second host").during(Duration.ofSeconds(5))
                    .atMost(Duration.ofSeconds(60)).until(() -> running(run), equalTo(1));
            Path alice = KeyGen.generate(java.nio.file.Files.createTempDirectory("capacity"), "ed25519", 0, null, null, "alice");
            post("/api/keys", Map.of("name", "alice", "public_key", KeyGen.publicLine(alice))).statusCode(201);
            post("/api/access", Map.of("name", "quiet", "keys", List.of("alice"), "platforms", List.of("host-3")))
                    .statusCode(201);

            given().post("/api/platforms/host-3/deploy-keys").then().statusCode(200)
                    .body("deployments[0].status", equalTo("in_sync"));
            assertEquals("running", runStatus(run), "the deployment did not wait for the run to end");
            given().post("/api/platforms/host-3/test-ssh").then().statusCode(200).body("authenticated", equalTo(true));
            assertEquals("running", runStatus(run));
        } finally {
            given().post("/api/runs/" + run + "/cancel");
            await("the canceled run ended").atMost(Duration.ofSeconds(60)).until(() -> !"running".equals(runStatus(run)));
        }
    }

    @Test
    void aViewerHammeringStatsRefreshGets429BeyondTheirShare() throws Exception {
        long before = logins(fleet.host(3));
        String viewer = Auth.tokenOf("capacity-viewer", "viewer");
        List<Response> answers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(pool.submit(() -> Auth.withoutDefaults(() -> given().header("Authorization", "Bearer " + viewer)
                        .get("/api/platforms/host-3/stats?refresh=true"))));
            }
            for (Future<Response> call : calls) {
                answers.add(call.get());
            }
        } finally {
            pool.shutdown();
        }
        long ok = answers.stream().filter(r -> r.statusCode() == 200).count();
        List<Response> refused = answers.stream().filter(r -> r.statusCode() == 429).toList();
        assertEquals(3, ok, "the viewer's share of 3 SSH logins");
        assertEquals(5, refused.size());
        refused.forEach(r -> {
            assertTrue(Long.parseLong(r.header("Retry-After")) >= 1, r.asString());
            assertEquals("application/problem+json", r.contentType());
        });
        assertTrue(logins(fleet.host(3)) - before <= 3, "no more than 3 SSH logins for the viewer");
        // The cached reading costs no login and is still served.
        Auth.as(viewer);
        try {
            given().get("/api/platforms/host-3/stats").then().statusCode(200);
        } finally {
            Auth.asAdmin();
        }
        // Another user has a share of their own.
        given().get("/api/platforms/host-3/stats?refresh=true").then().statusCode(200);
    }

    private static long logins(SshFleet.Host host) {
        return host.log().lines().filter(l -> l.contains("Accepted publickey")).count();
    }
}

package io.testum.gitops;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.testum.keys.TestKeys;
import io.testum.testing.Auth;
import io.testum.testing.Fixtures;
import io.testum.testing.GitDaemon;
import io.testum.testing.GitDaemonResource;
import io.testum.testing.GitRepo;
import io.testum.testing.GitRepoResource;
import io.testum.testing.PostgresResource;
import io.testum.testing.TestDatabase;

/** GitOps reconciliation from real Git repositories into PostgreSQL (no hosts involved). */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(GitRepoResource.class)
@WithTestResource(GitDaemonResource.class)
class GitopsTest {

    @Inject
    Reconciler reconciler;

    @TempDir
    Path tmp;

    private GitRepo repo;
    private GitDaemon daemon;

    static String document(String platforms, String access) {
        return "version: 1\n"
                + "ssh_keys:\n"
                + "  - name: alice\n"
                + "    public_key: \"" + TestKeys.ED25519 + "\"\n"
                + "  - name: bob\n"
                + "    public_key: \"" + TestKeys.ED25519_B + "\"\n"
                + "credentials:\n"
                + "  - name: deployer\n"
                + "platforms:\n" + platforms
                + "access:\n" + access;
    }

    static String platform(String name, String host) {
        return "  - name: " + name + "\n    host: " + host + "\n    username: deploy\n    auth_method: key\n"
                + "    credential: deployer\n    labels: {role: web}\n";
    }

    static final String GRANT = "  - name: web-admins\n    keys: [alice]\n    selector: {role: web}\n";

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        Auth.asAdmin();
    }

    private void source(String name, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", name, "url", repo.url(), "branch", "main"));
        body.putAll(extra);
        post("/api/gitops/sources", body).statusCode(201);
    }

    private static ValidatableResponse sync(String name) {
        return given().post("/api/gitops/sources/" + name + "/sync?wait=true").then().statusCode(200);
    }

    @Test
    void appliesADocumentAndMarksItsObjectsAsTheSources() {
        String revision = repo.commit("testum.yaml", document(platform("web-01", "192.0.2.10") + platform("web-02", "192.0.2.11"),
                GRANT), "first");
        source("ops", Map.of());
        sync("ops").body("result", equalTo("applied"))
                .body("revision", equalTo(revision))
                .body("plan.platform.created", equalTo(List.of("web-01", "web-02")))
                .body("plan.ssh_key.created", equalTo(List.of("alice", "bob")))
                .body("plan.credential.created", equalTo(List.of("deployer")))
                .body("plan.access.created", equalTo(List.of("web-admins")));

        given().get("/api/platforms/web-01").then().body("source", equalTo("ops")).body("source_revision", equalTo(revision));
        given().get("/api/credentials/deployer").then().body("has_secret", equalTo(false));
        given().get("/api/gitops/sources/ops/status").then().statusCode(200)
                .body("ready", equalTo(true)).body("reason", equalTo("Succeeded"))
                .body("last_applied_revision", equalTo(revision))
                .body("runs[0].result", equalTo("applied"));
        given().queryParam("action", "gitops.apply").get("/api/audit").then().body("items[0].actor", equalTo("gitops:ops"))
                .body("items[0].details.revision", equalTo(revision));
    }

    @Test
    void countsAndTimesReconcilesAndShowsSourcesInFleetStats() {
        String revision = repo.commit("testum.yaml", document(platform("web-01", "192.0.2.10"), GRANT), "first");
        source("ops", Map.of());
        double before = reconciles("applied");
        sync("ops");

        assertEquals(before + 1, reconciles("applied"));
        assertTrue(metrics().contains("testum_reconcile_duration_seconds_count{source=\"ops\"}"));
        given().get("/api/stats").then().statusCode(200)
                .body("sources[0].name", equalTo("ops")).body("sources[0].ready", equalTo(true))
                .body("sources[0].last_applied_revision", equalTo(revision))
                .body("platforms.total", equalTo(1)).body("platforms.by_reachability.unknown", equalTo(1));
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double reconciles(String result) {
        return metrics().lines().filter(l -> l.startsWith("testum_reconcile_total{result=\"" + result + "\"}"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void refusesApiChangesToGitManagedObjects() {
        String revision = repo.commit("testum.yaml", document(platform("web-01", "192.0.2.10"), GRANT), "first");
        source("ops", Map.of());
        sync("ops");
        Map<String, Object> body = Fixtures.platformBody("web-01");
        Fixtures.put("/api/platforms/web-01", body).statusCode(409)
                .body("detail", containsString("managed by GitOps source 'ops' at revision " + revision));
        given().delete("/api/keys/alice").then().statusCode(409);
    }

    @Test
    void returnsAtOnceForAnUnchangedRevision() throws Exception {
        repo.commit("testum.yaml", document(platform("web-01", "192.0.2.10"), GRANT), "first");
        source("ops", Map.of());
        sync("ops");
        String updated = TestDatabase.rows("SELECT updated_at FROM platforms WHERE name = 'web-01'").get(0).get(0);
        long runs = Long.parseLong(TestDatabase.rows("SELECT count(*) FROM reconcile_runs").get(0).get(0));
        RunResult again = reconciler.reconcile("ops", "interval", false, false);
        assertEquals(RunResult.Result.UNCHANGED, again.result());
        assertEquals(updated, TestDatabase.rows("SELECT updated_at FROM platforms WHERE name = 'web-01'").get(0).get(0));
        assertEquals(String.valueOf(runs), TestDatabase.rows("SELECT count(*) FROM reconcile_runs").get(0).get(0),
                "no run is written");
    }

    @Test
    void writesTheSourceStatusOnlyWhenItDiffers() {
        repo.commit("testum.yaml", document(platform("web-01", "192.0.2.10"), GRANT), "first");
        source("ops", Map.of());
        sync("ops");
        sync("ops"); // forced: applied again, now with a plan that changes nothing
        String status = "SELECT updated_at::text, reason, ready::text FROM gitops_sources WHERE name = 'ops'";
        List<String> applied = TestDatabase.rows(status).get(0);
        assertEquals(List.of("Succeeded", "true"), applied.subList(1, 3));

        sync("ops"); // and again: the same plan, the same status
        assertEquals(applied, TestDatabase.rows(status).get(0), "an unchanged status is not written");

        repo.commit("testum.yaml", "version: 2\n", "broken");
        sync("ops");
        List<String> stalled = TestDatabase.rows(status).get(0);
        assertEquals(List.of("ValidationFailed", "false"), stalled.subList(1, 3));
        assertTrue(!stalled.get(0).equals(applied.get(0)), "a changed status is written, and its updated_at moves");
    }

    @Test
    void stallsOnAnInvalidRevisionChangesNothingAndSaysWhere() {
        String good = repo.commit("testum.yaml", document(platform("web-01", "192.0.2.10"), GRANT), "good");
        source("ops", Map.of());
        sync("ops");
        String bad = repo.commit("testum.yaml", document(platform("web-01", "192.0.2.10")
                + "  - name: web-02\n    host: 192.0.2.11\n    port: 70000\n    username: deploy\n    auth_method: key\n"
                + "    credential: deployer\n", GRANT), "bad port");
        sync("ops").body("result", equalTo("stalled")).body("reason", equalTo("ValidationFailed"))
                .body("errors[0].file", equalTo("testum.yaml"))
                .body("errors[0].line", equalTo(18))
                .body("errors[0].message", containsString("port"));
        given().get("/api/platforms/web-02").then().statusCode(404);
        given().get("/api/gitops/sources/ops/status").then()
                .body("ready", equalTo(false))
                .body("reason", equalTo("ValidationFailed"))
                .body("last_applied_revision", equalTo(good))
                .body("last_fetched_revision", equalTo(bad))
                .body("errors[0].line", equalTo(18))
                .body("message", containsString("testum.yaml:18:"));
        assertEquals(RunResult.Result.STALLED, reconciler.reconcile("ops", "interval", false, false).result(),
                "the same bad revision is not tried again");
    }

    @Test
    void prunesWhatLeftTheDocumentButRefusesToEmptyTheSource() {
        repo.commit("testum.yaml", document(platform("web-01", "192.0.2.10") + platform("web-02", "192.0.2.11"), GRANT), "two");
        source("ops", Map.of());
        sync("ops");
        repo.commit("testum.yaml", document(platform("web-01", "192.0.2.10"), GRANT), "one");
        sync("ops").body("result", equalTo("applied")).body("plan.platform.deleted", equalTo(List.of("web-02")));
        given().get("/api/platforms/web-02").then().statusCode(404);

        repo.commit("testum.yaml", "ssh_keys: []\nplatforms: []\n", "empty");
        sync("ops").body("result", equalTo("stalled"))
                .body("errors.message", hasItem(containsString("would delete every platform")));
        given().get("/api/platforms/web-01").then().statusCode(200);
        repo.commit("testum.yaml", "ssh_keys: []\nplatforms: []\nsettings:\n  allow_empty: true\n", "empty, meant");
        sync("ops").body("result", equalTo("applied"));
        given().get("/api/platforms/web-01").then().statusCode(404);
    }

    @Test
    void namesBothOwnersOfANameClash() {
        Fixtures.credential("mine");
        Map<String, Object> body = Fixtures.platformBody("web-01");
        body.put("credential", "mine");
        post("/api/platforms", body).statusCode(201);
        repo.commit("testum.yaml", document(platform("web-01", "192.0.2.10"), GRANT), "clash");
        source("ops", Map.of());
        sync("ops").body("result", equalTo("stalled"))
                .body("errors.message", hasItem(containsString("platform 'web-01' is defined here and is also created through "
                        + "the API")))
                .body("errors.find { it.message.contains('web-01') }.line", equalTo(10));
    }

    @Test
    void previewsABranchWithTheLinesEachHostWouldGainAndLose() {
        repo.commit("testum.yaml", document(platform("web-01", "192.0.2.10"), GRANT), "main");
        source("ops", Map.of());
        sync("ops");
        repo.branch("feature");
        repo.commit("testum.yaml", document(platform("web-01", "192.0.2.10"),
                "  - name: web-admins\n    keys: [bob]\n    selector: {role: web}\n"), "swap alice for bob");
        given().queryParam("ref", "feature").get("/api/gitops/sources/ops/diff").then().statusCode(200)
                .body("valid", equalTo(true))
                .body("plan.access.updated", equalTo(List.of("web-admins")))
                .body("authorized_keys[0].platform", equalTo("web-01"))
                .body("authorized_keys[0].user", equalTo("deploy"))
                .body("authorized_keys[0].gained", equalTo(List.of(TestKeys.ED25519_B)))
                .body("authorized_keys[0].lost", equalTo(List.of(TestKeys.ED25519)));
        given().get("/api/access/web-admins").then().body("keys", equalTo(List.of("alice")));
    }

    @Test
    void importsOnceAsApiObjectsAndDryRunsFirst() {
        repo.commit("testum-config.yaml", "ssh_keys:\n  - name: prod-key\n    public_key: \"" + TestKeys.ED25519 + "\"\n"
                + "platforms:\n  - name: web-server-01\n    host: 192.168.1.100\n    port: 22\n    username: ubuntu\n"
                + "    auth_method: password\n    description: Production web server\n", "legacy");
        Map<String, Object> request = new java.util.HashMap<>(Map.of("git_url", repo.url(), "branch", "main",
                "config_path", "testum-config.yaml", "dry_run", true));
        post("/api/gitops/import", request).statusCode(200)
                .body("dry_run", equalTo(true)).body("applied", equalTo(false))
                .body("plan.platform.created", equalTo(List.of("web-server-01")))
                .body("revision", notNullValue());
        given().get("/api/platforms/web-server-01").then().statusCode(404);
        request.put("dry_run", false);
        post("/api/gitops/import", request).statusCode(200).body("applied", equalTo(true));
        given().get("/api/platforms/web-server-01").then().statusCode(200).body("source", equalTo("api"));
    }

    @Test
    void waitsWithBackoffWhenTheRepositoryIsUnreachable() {
        post("/api/gitops/sources", Map.of("name", "gone", "url", "file:///nonexistent/repo", "interval", "10m"))
                .statusCode(201);
        sync("gone").body("result", equalTo("waiting")).body("reason", equalTo("FetchFailed"));
        String next = TestDatabase.rows("SELECT round(extract(epoch FROM next_attempt_at - now())) FROM gitops_sources "
                + "WHERE name = 'gone'").get(0).get(0);
        assertTrue(Double.parseDouble(next) <= 5.5, "first retry after 5 s, got " + next);
        sync("gone");
        String later = TestDatabase.rows("SELECT round(extract(epoch FROM next_attempt_at - now())) FROM gitops_sources "
                + "WHERE name = 'gone'").get(0).get(0);
        assertTrue(Double.parseDouble(later) > 5.5 && Double.parseDouble(later) <= 10.5, "then 10 s, got " + later);
        assertEquals(java.time.Duration.ofMinutes(10), Reconciler.backoff(30, java.time.Duration.ofMinutes(10)),
                "capped at the interval");
    }

    @Test
    void acceptsOnlyCorrectlySignedWebhooks() throws Exception {
        repo.commit("testum.yaml", document(platform("web-01", "192.0.2.10"), GRANT), "first");
        source("ops", Map.of("webhook_secret", "s3cret"));
        byte[] body = "{\"ref\":\"refs/heads/main\"}".getBytes(StandardCharsets.UTF_8);
        String good = WebhookResource.Signatures.hmac("s3cret".getBytes(StandardCharsets.UTF_8), body);
        Auth.anonymous();
        given().header("X-Hub-Signature-256", good).body(body).post("/api/gitops/webhook/ops").then().statusCode(202);
        given().header("X-Testum-Signature", good).body(body).post("/api/gitops/webhook/ops").then().statusCode(202);
        given().header("X-Gitlab-Token", "s3cret").body(body).post("/api/gitops/webhook/ops").then().statusCode(202);
        given().header("X-Hub-Signature-256", "sha256=" + "0".repeat(64)).body(body).post("/api/gitops/webhook/ops").then()
                .statusCode(401).body("detail", containsString("does not match"));
        given().header("X-Gitlab-Token", good).body(body).post("/api/gitops/webhook/ops").then().statusCode(401);
        given().body(body).post("/api/gitops/webhook/ops").then().statusCode(401).body("detail", containsString("no "));
        given().header("X-Hub-Signature-256", good).body("{\"tampered\":1}").post("/api/gitops/webhook/ops").then()
                .statusCode(401);
        Auth.asAdmin();
        await("the webhook's sync applied web-01").atMost(Duration.ofSeconds(20))
                .until(() -> given().get("/api/platforms/web-01").statusCode(), equalTo(200));
    }

    @Test
    void fetchesOverTheGitProtocol() throws Exception {
        String revision = repo.commit("team/platforms.yaml", document(platform("web-01", "192.0.2.10"), GRANT), "first");
        post("/api/gitops/sources", Map.of("name", "daemon", "url", daemon.serve("ops", repo), "path", "team"))
                .statusCode(201);
        sync("daemon").body("result", equalTo("applied")).body("revision", equalTo(revision));
    }

    @Test
    void managesSourcesAndKeepsTheirSecretsWriteOnly() {
        source("ops", Map.of("webhook_secret", "hook-secret", "token", "tok-secret", "interval", "5m"));
        given().get("/api/gitops/sources/ops").then().statusCode(200)
                .body("interval", equalTo("300s")).body("has_webhook_secret", equalTo(true)).body("has_token", equalTo(true))
                .body(org.hamcrest.Matchers.not(containsString("hook-secret")))
                .body(org.hamcrest.Matchers.not(containsString("tok-secret")));
        Fixtures.put("/api/gitops/sources/ops", Map.of("suspended", true)).statusCode(200).body("suspended", equalTo(true));
        post("/api/gitops/sources", Map.of("name", "api", "url", repo.url())).statusCode(400);
        post("/api/gitops/sources", Map.of("name", "x", "url", "ftp://nope", "interval", "1s")).statusCode(400)
                .body("errors.field", equalTo(List.of("url", "interval")));
        given().delete("/api/gitops/sources/ops").then().statusCode(204);
        given().get("/api/gitops/sources/ops").then().statusCode(404);
    }
}

package io.testum.gitops;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.testum.keys.TestKeys;
import io.testum.testing.Auth;
import io.testum.testing.Fixtures;
import io.testum.testing.GitRepo;
import io.testum.testing.PostgresResource;
import io.testum.testing.TestDatabase;

/** {@code GET /api/backup/export} and {@code POST /api/backup/import} against a real PostgreSQL and real Git. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class BackupTest {

    private static final String TOKEN = "ghp-token-that-must-not-leak";
    private static final String WEBHOOK_SECRET = "webhook-secret-that-must-not-leak";
    private static final String PASSWORD = "vault-password-that-must-not-leak";

    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() {
        emptyInstance();
        Auth.asAdmin();
    }

    /** An instance with no inventory and no sources, as a fresh install has. */
    private static void emptyInstance() {
        TestDatabase.reset();
    }

    /** Platforms with labels, keys, credentials, grants with selector, options and expiry, and a source. */
    private static void buildInventoryThroughTheApi() {
        Fixtures.credential("deployer");
        post("/api/credentials/import", Map.of("name", "vault", "password", PASSWORD, "description", "break-glass"))
                .statusCode(201);
        Fixtures.key("alice", TestKeys.ED25519);
        post("/api/keys", Map.of("name", "bob", "public_key", TestKeys.ED25519_B, "description", "Bob's desk: #2"))
                .statusCode(201);
        post("/api/keys", Map.of("name", "carol", "public_key", TestKeys.RSA_2048)).statusCode(201);
        Fixtures.platform("web-01", Map.of("env", "prod", "role", "web", "tier", "1"));
        Map<String, Object> web02 = Fixtures.platformBody("web-02");
        web02.put("host", "192.0.2.11");
        web02.put("labels", Map.of("env", "staging", "role", "web"));
        post("/api/platforms", web02).statusCode(201);
        Map<String, Object> db = new HashMap<>();
        db.put("name", "db-01");
        db.put("host", "db.example.com");
        db.put("port", 2222);
        db.put("username", "root");
        db.put("auth_method", "password");
        db.put("credential", "vault");
        db.put("host_key", "SHA256:1Fc74Z/uXkuMgg6iu3RkrIy73c3japJlEugFrRtQm0A");
        db.put("authorized_keys_path", "/etc/ssh/authorized/root");
        db.put("authorized_keys_mode", "exclusive");
        db.put("description", "Primary database: do not reboot");
        post("/api/platforms", db).statusCode(201);
        Map<String, Object> admins = new HashMap<>();
        admins.put("name", "web-admins");
        admins.put("keys", List.of("alice", "bob"));
        admins.put("selector", Map.of("role", "web", "env", "prod"));
        admins.put("user", "deploy");
        admins.put("options", "from=\"10.0.0.0/8\",no-agent-forwarding");
        admins.put("expires", "2031-12-31T18:00:00Z");
        admins.put("description", "web team");
        post("/api/access", admins).statusCode(201);
        Fixtures.grant("dba", List.of("carol"), List.of("db-01"), null);
        Map<String, Object> source = new HashMap<>();
        source.put("name", "team");
        source.put("url", "https://git.example.com/ops/fleet.git");
        source.put("branch", "release");
        source.put("path", "fleet");
        source.put("interval", "5m");
        source.put("prune", false);
        source.put("suspended", true);
        source.put("username", "bot");
        source.put("token", TOKEN);
        source.put("webhook_secret", WEBHOOK_SECRET);
        post("/api/gitops/sources", source).statusCode(201);
    }

    private static ExtractableResponse<Response> export() {
        return given().get("/api/backup/export").then().statusCode(200)
                .contentType(startsWith("application/yaml"))
                .header("Content-Disposition", startsWith("attachment; filename=\"testum-backup-"))
                .extract();
    }

    private static ValidatableResponse importFile(String name, String yaml, boolean dryRun) {
        return given().multiPart("file", name, yaml.getBytes(StandardCharsets.UTF_8), "application/yaml")
                .queryParam("dry_run", dryRun).post("/api/backup/import").then();
    }

    private static ValidatableResponse importBody(String yaml, String contentType, boolean dryRun) {
        return given().contentType(contentType).body(yaml.getBytes(StandardCharsets.UTF_8)).queryParam("dry_run", dryRun)
                .post("/api/backup/import").then();
    }

    /** Everything the API shows of the inventory, less timestamps, reachability and what no backup can carry. */
    private static Map<String, Object> inventory() {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("platforms", items("/api/platforms", "created_at", "updated_at", "source_revision", "reachability",
                "last_seen_at", "latency_ms"));
        all.put("keys", items("/api/keys", "created_at", "updated_at", "source_revision"));
        // kind, type, bits, fingerprint, public key and has_secret describe the secret, which stays behind
        all.put("credentials", items("/api/credentials", "created_at", "updated_at", "source_revision", "kind", "type", "bits",
                "fingerprint", "public_key", "has_secret"));
        all.put("access", items("/api/access", "created_at", "updated_at", "source_revision"));
        all.put("sources", given().get("/api/gitops/sources").then().statusCode(200).extract().jsonPath()
                .getList("", Map.class).stream().map(s -> without(s, "has_token", "has_webhook_secret", "ready", "reason",
                        "last_applied_revision")).toList());
        return all;
    }

    private static List<Map<String, Object>> items(String path, String... volatileFields) {
        return given().queryParam("size", 1000).get(path).then().statusCode(200).extract().jsonPath()
                .getList("items", Map.class).stream().map(m -> without(m, volatileFields)).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> without(Map<?, ?> map, String... fields) {
        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) map);
        for (String field : fields) {
            copy.remove(field);
        }
        return copy;
    }

    @Test
    void exportImportIntoAnEmptyInstanceAndExportAgainGiveTheSameInventory() {
        buildInventoryThroughTheApi();
        Map<String, Object> before = inventory();
        String exported = export().asString();

        emptyInstance();
        assertEquals(0, given().get("/api/platforms").then().extract().jsonPath().getInt("total"));
        importFile("prod.yaml", exported, false).statusCode(200)
                .body("dry_run", equalTo(false)).body("applied", equalTo(true))
                .body("plan.platform.created", equalTo(List.of("db-01", "web-01", "web-02")))
                .body("plan.ssh_key.created", equalTo(List.of("alice", "bob", "carol")))
                .body("plan.credential.created", equalTo(List.of("deployer", "vault")))
                .body("plan.access.created", equalTo(List.of("dba", "web-admins")))
                .body("plan.source.created", equalTo(List.of("team")));

        assertEquals(before, inventory());
        assertEquals(exported, export().asString());
        // what the backup could not carry: secrets arrive again through the API
        given().get("/api/credentials/vault").then().body("has_secret", equalTo(false)).body("source", equalTo("api"));
        given().get("/api/gitops/sources/team").then().body("has_token", equalTo(false))
                .body("has_webhook_secret", equalTo(false));
        given().queryParam("action", "backup.import").get("/api/audit").then()
                .body("items[0].outcome", equalTo("success")).body("items[0].target", equalTo("prod.yaml"));
    }

    @Test
    void exportHoldsNoSecretAndParsesAsADesiredStateDocument() {
        buildInventoryThroughTheApi();
        String exported = export().asString();

        for (String secret : List.of(TOKEN, WEBHOOK_SECRET, PASSWORD, "PRIVATE KEY", "token:", "webhook_secret:", "password:")) {
            assertFalse(exported.contains(secret), secret + " in\n" + exported);
        }
        DesiredDocument document = DocumentParser.parse(List.of(new DocumentParser.SourceFile("testum.yaml",
                exported.getBytes(StandardCharsets.UTF_8))));
        assertEquals(3, document.platforms().size());
        assertEquals(3, document.keys().size());
        assertEquals(2, document.credentials().size());
        assertEquals(2, document.access().size());
        assertEquals(List.of("team"), document.sources().stream().map(DesiredDocument.SourceEntry::name).toList());
    }

    @Test
    void exportCommittedToGitIsAppliedByAGitopsSourceAsItStands() {
        buildInventoryThroughTheApi();
        String exported = export().asString();
        emptyInstance();
        GitRepo repo = GitRepo.init(tmp.resolve("ops"));
        String revision = repo.commit("testum.yaml", exported, "inventory from a backup");

        post("/api/gitops/sources", Map.of("name", "fleet", "url", repo.url())).statusCode(201);
        given().post("/api/gitops/sources/fleet/sync?wait=true").then().statusCode(200)
                .body("result", equalTo("applied")).body("revision", equalTo(revision))
                .body("plan.platform.created", equalTo(List.of("db-01", "web-01", "web-02")))
                .body("plan.access.created", equalTo(List.of("dba", "web-admins")));
        given().get("/api/platforms/web-01").then().body("source", equalTo("fleet"));
        // the sources section is a backup's: a reconcile does not create sources
        given().get("/api/gitops/sources/team").then().statusCode(404);
    }

    @Test
    void dryRunAnswersThePlanAndChangesNothing() {
        buildInventoryThroughTheApi();
        String exported = export().asString();
        emptyInstance();

        importBody(exported, "application/yaml", true).statusCode(200)
                .body("dry_run", equalTo(true)).body("applied", equalTo(false))
                .body("plan.platform.created", equalTo(List.of("db-01", "web-01", "web-02")))
                .body("plan.source.created", equalTo(List.of("team")));
        assertEquals(0, given().get("/api/platforms").then().extract().jsonPath().getInt("total"));
        assertEquals(0, given().get("/api/keys").then().extract().jsonPath().getInt("total"));
        given().get("/api/gitops/sources").then().body("size()", equalTo(0));
    }

    @Test
    void restoreUpdatesApiObjectsAddsMissingOnesAndKeepsEverythingElse() {
        buildInventoryThroughTheApi();
        String exported = export().asString();
        Map<String, Object> moved = Fixtures.platformBody("web-01");
        moved.put("host", "198.51.100.7");
        Fixtures.put("/api/platforms/web-01", moved).statusCode(200);
        given().delete("/api/access/dba").then().statusCode(204);
        Fixtures.platform("extra-01", Map.of());
        Fixtures.put("/api/gitops/sources/team", Map.of("branch", "main")).statusCode(200);

        importBody(exported, "text/plain", false).statusCode(200).body("applied", equalTo(true))
                .body("plan.platform.updated", equalTo(List.of("web-01")))
                .body("plan.platform.unchanged", equalTo(2))
                .body("plan.platform.deleted", equalTo(List.of()))
                .body("plan.access.created", equalTo(List.of("dba")))
                .body("plan.source.kept", equalTo(List.of("team")));

        given().get("/api/platforms/web-01").then().body("host", equalTo("192.0.2.10"));
        given().get("/api/platforms/extra-01").then().statusCode(200);
        given().get("/api/gitops/sources/team").then().body("branch", equalTo("main")).body("has_token", equalTo(true));
    }

    @Test
    void aNameThatAGitopsSourceManagesIsAConflictAtItsLocationAndNothingIsRestored() {
        GitRepo repo = GitRepo.init(tmp.resolve("ops"));
        repo.commit("testum.yaml", GitopsTest.document(GitopsTest.platform("web-01", "192.0.2.10"), GitopsTest.GRANT), "first");
        post("/api/gitops/sources", Map.of("name", "ops", "url", repo.url())).statusCode(201);
        given().post("/api/gitops/sources/ops/sync?wait=true").then().statusCode(200).body("result", equalTo("applied"));

        String backup = """
                ssh_keys:
                  - name: zed
                    public_key: "%s"
                credentials:
                  - name: other
                platforms:
                  - name: web-01
                    host: 192.0.2.99
                    username: deploy
                    auth_method: key
                    credential: other
                """.formatted(TestKeys.RSA_2048);
        importFile("restore.yaml", backup, false).statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:testum:problem:conflict"))
                .body("detail", containsString("nothing was restored"))
                .body("errors[0].file", equalTo("restore.yaml"))
                .body("errors[0].line", equalTo(7))
                .body("errors[0].column", equalTo(5))
                .body("errors[0].message", containsString("managed by GitOps source 'ops'"));
        given().get("/api/keys/zed").then().statusCode(404);
        given().get("/api/credentials/other").then().statusCode(404);
        given().get("/api/platforms/web-01").then().body("host", equalTo("192.0.2.10"));
    }

    @Test
    void anInvalidDocumentIsRefusedWithEveryProblemAtItsPlaceAndChangesNothing() {
        importBody("""
                platforms:
                  - name: web-01
                    host: 192.0.2.10
                    port: 70000
                    username: deploy
                    auth_method: key
                    colour: blue
                sources:
                  - name: team
                    url: https://git.example.com/x.git
                    token: abc
                """, "application/yaml", false).statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:testum:problem:invalid-document"))
                .body("errors.size()", equalTo(3))
                .body("errors[0].file", equalTo("backup.yaml"))
                .body("errors[0].line", equalTo(4)).body("errors[0].column", equalTo(11))
                .body("errors[1].line", equalTo(7)).body("errors[1].column", equalTo(5))
                .body("errors[2].line", equalTo(11)).body("errors[2].column", equalTo(5));
        importFile("bad.yaml", "platforms: [\n", false).statusCode(400).body("errors[0].file", equalTo("bad.yaml"));
        assertEquals(0, given().get("/api/platforms").then().extract().jsonPath().getInt("total"));
    }

    @Test
    void aSourceListingAnObjectTheDocumentLacksIsInvalid() {
        importBody("""
                sources:
                  - name: team
                    url: https://git.example.com/x.git
                    manages:
                      platforms: [ghost-01]
                """, "application/yaml", false).statusCode(400)
                .body("errors[0].line", equalTo(5)).body("errors[0].column", equalTo(19))
                .body("errors[0].message", containsString("manages platform 'ghost-01', which this document does not define"));
        given().get("/api/gitops/sources").then().body("size()", equalTo(0));
    }

    @Test
    void aRestoredSourceGetsBackTheObjectsItManagedAndItsNextSyncChangesNothing() {
        GitRepo repo = GitRepo.init(tmp.resolve("ops"));
        String revision = repo.commit("testum.yaml", GitopsTest.document(GitopsTest.platform("web-01", "192.0.2.10"),
                GitopsTest.GRANT), "first");
        post("/api/gitops/sources", Map.of("name", "ops", "url", repo.url())).statusCode(201);
        given().post("/api/gitops/sources/ops/sync?wait=true").then().statusCode(200).body("result", equalTo("applied"));
        Fixtures.key("carol", TestKeys.RSA_2048);
        String exported = export().asString();
        assertTrue(exported.contains("revision: " + revision), exported);

        // the same backup again: the source keeps its objects, nothing is written
        importBody(exported, "application/yaml", false).statusCode(200).body("applied", equalTo(false))
                .body("plan.ssh_key.unchanged", equalTo(1))
                .body("ownership.find { it.name == 'web-01' }.action", equalTo("keep"))
                .body("plan.source.kept", equalTo(List.of("ops")));

        emptyInstance();
        importBody(exported, "application/yaml", false).statusCode(200).body("applied", equalTo(true))
                .body("plan.source.created", equalTo(List.of("ops")))
                .body("ownership.find { it.name == 'web-01' }.source", equalTo("ops"))
                .body("ownership.find { it.name == 'web-01' }.action", equalTo("assign"));
        given().get("/api/platforms/web-01").then().body("source", equalTo("ops")).body("source_revision", equalTo(revision));
        given().get("/api/keys/carol").then().body("source", equalTo("api"));
        Fixtures.put("/api/platforms/web-01", Map.of("host", "192.0.2.99")).statusCode(409);

        given().post("/api/gitops/sources/ops/sync?wait=true").then().statusCode(200)
                .body("result", equalTo("applied"))
                .body("plan.platform.created", equalTo(List.of())).body("plan.platform.unchanged", equalTo(1))
                .body("plan.ssh_key.unchanged", equalTo(2)).body("plan.access.unchanged", equalTo(1));
    }

    @Test
    void aJsonBodyIsReadAsTheYamlItIs() {
        importBody("{\"ssh_keys\": [{\"name\": \"alice\", \"public_key\": \"" + TestKeys.ED25519 + "\"}]}", "application/json",
                false).statusCode(200).body("plan.ssh_key.created", equalTo(List.of("alice")));
        given().get("/api/keys/alice").then().statusCode(200).body("source", equalTo("api"));
    }
}

package io.testum.gitops;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.testum.testing.Auth;
import io.testum.testing.Fixtures;
import io.testum.testing.GitRepo;
import io.testum.testing.GitRepoResource;
import io.testum.testing.PostgresResource;
import io.testum.testing.SshFleet;
import io.testum.testing.SshGitRepo;
import io.testum.testing.TestDatabase;
import io.testum.testing.WithSshFleet;

/**
 * A service configured tightly: small document limits (files, bytes, objects) and
 * {@code testum.ssh.host-key-policy=strict}. A document beyond a limit stalls with an error that
 * names the limit, and nothing of it is applied; an ssh:// source is fetched only from the host key
 * it declares.
 */
@QuarkusTest
@TestProfile(GitopsLimitsTest.Profile.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(GitRepoResource.class)
@WithSshFleet
class GitopsLimitsTest {

    public static final class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("testum.gitops.max-document-files", "3",
                    "testum.gitops.max-document-bytes", "20K",
                    "testum.gitops.max-document-objects", "10",
                    "testum.ssh.host-key-policy", "strict");
        }
    }

    private SshFleet fleet;

    private GitRepo repo;

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        Auth.asAdmin();
    }

    private static String platforms(int count) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            out.append(GitopsTest.platform("web-0" + i, "192.0.2." + (10 + i)));
        }
        return out.toString();
    }

    private static void stalls(String source, String message) {
        given().post("/api/gitops/sources/" + source + "/sync?wait=true").then().statusCode(200)
                .body("result", equalTo("stalled"))
                .body("errors[0].message", containsString(message));
        given().get("/api/platforms/web-01").then().statusCode(404);
    }

    @Test
    void aFolderWithMoreFilesThanTheLimitStallsAndSaysWhichLimit() {
        repo.commit("team/keys.yaml", GitopsTest.document(platforms(1), GitopsTest.GRANT), "keys");
        repo.commit("team/b.yaml", "# nothing\n", "b");
        repo.commit("team/c.yaml", "# nothing\n", "c");
        repo.commit("team/d.yml", "# nothing\n", "d");
        post("/api/gitops/sources", Map.of("name", "ops", "url", repo.url(), "path", "team")).statusCode(201);
        stalls("ops", "more than 3 YAML files");
        given().get("/api/gitops/sources/ops/status").then().body("errors[0].message",
                containsString("testum.gitops.max-document-files"));
        given().queryParam("ref", "main").get("/api/gitops/sources/ops/diff").then().statusCode(200)
                .body("valid", equalTo(false)).body("errors[0].message", containsString("more than 3 YAML files"));
        post("/api/gitops/import", Map.of("git_url", repo.url(), "config_path", "team", "dry_run", true)).statusCode(400)
                .body("errors[0].field", equalTo("config_path"))
                .body("errors[0].message", containsString("more than 3 YAML files"));
    }

    @Test
    void aDocumentOverTheByteLimitStallsBeforeItIsRead() {
        String padding = ("# " + "x".repeat(98) + "\n").repeat(120);
        repo.commit("team/a.yaml", GitopsTest.document(platforms(1), GitopsTest.GRANT) + padding, "a");
        repo.commit("team/b.yaml", padding, "b");
        post("/api/gitops/sources", Map.of("name", "ops", "url", repo.url(), "path", "team")).statusCode(201);
        stalls("ops", "hold more than 20480 bytes together");
        given().get("/api/gitops/sources/ops/status").then().body("errors[0].message",
                containsString("testum.gitops.max-document-bytes"));
    }

    @Test
    void aDocumentWithMoreObjectsThanTheLimitStallsAtTheFirstOneBeyond() {
        // two keys, a credential, seven platforms and a grant: eleven objects
        repo.commit("testum.yaml", GitopsTest.document(platforms(7), GitopsTest.GRANT), "big");
        post("/api/gitops/sources", Map.of("name", "ops", "url", repo.url())).statusCode(201);
        stalls("ops", "more than 10 objects");
        given().get("/api/gitops/sources/ops/status").then()
                .body("errors[0].file", equalTo("testum.yaml"))
                .body("errors[0].line", equalTo(53))
                .body("errors[0].message", containsString("testum.gitops.max-document-objects"));
        post("/api/gitops/import", Map.of("git_url", repo.url(), "dry_run", true)).statusCode(400)
                .body("errors[0].message", containsString("more than 10 objects"));
    }

    @Test
    void underAStrictPolicyAnSshSourceWithoutAHostKeyIsNotFetched() {
        repo.commit("testum.yaml", GitopsTest.document(platforms(1), GitopsTest.GRANT), "first");
        SshFleet.Host host = fleet.host(0);
        String publicKey = post("/api/credentials/generate", Map.of("name", "git-key")).statusCode(201).extract()
                .path("public_key");
        String url = SshGitRepo.serve(host, repo, publicKey);
        post("/api/gitops/sources", Map.of("name", "ops", "url", url, "credential", "git-key", "interval", "10m"))
                .statusCode(201);
        given().post("/api/gitops/sources/ops/sync?wait=true").then().statusCode(200)
                .body("result", equalTo("waiting"))
                .body("message", containsString("strict and the source declares no host_key"))
                .body("message", containsString(host.hostKeyFingerprint()));
        given().get("/api/gitops/sources/ops").then().body("pinned_host_key", nullValue());
        given().get("/api/platforms/web-01").then().statusCode(404);
        given().queryParam("ref", "main").get("/api/gitops/sources/ops/diff").then().statusCode(502)
                .body("detail", containsString("strict"));

        Fixtures.put("/api/gitops/sources/ops", Map.of("host_key", host.hostKeyFingerprint())).statusCode(200);
        given().post("/api/gitops/sources/ops/sync?wait=true").then().statusCode(200).body("result", equalTo("applied"));
        given().get("/api/platforms/web-01").then().statusCode(200).body("source", equalTo("ops"));
        given().get("/api/gitops/sources/ops").then().body("pinned_host_key", nullValue());
    }
}

package io.testum.gitops;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.testum.testing.Auth;
import io.testum.testing.GitRepo;
import io.testum.testing.GitRepoResource;
import io.testum.testing.PostgresResource;
import io.testum.testing.SshFleet;
import io.testum.testing.SshGitRepo;
import io.testum.testing.TestDatabase;
import io.testum.testing.WithSshFleet;

/**
 * Attacks through GitOps, each performed on the running service with real Git repositories and
 * PostgreSQL: refs that walk out of the mirror, secrets in source URLs, documents without bounds.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(GitRepoResource.class)
@WithSshFleet
class GitopsAttackTest {

    private static final Path LOG = Path.of("target", "testum-test.log");
    /** A ref that, appended to refs/remotes/origin/ of a mirror, names the process environment. */
    private static final String ENVIRON = "../".repeat(20) + "proc/self/environ";

    private SshFleet fleet;

    private GitRepo repo;

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        Auth.asAdmin();
        repo.commit("testum.yaml", GitopsTest.document(GitopsTest.platform("web-01", "192.0.2.10"), GitopsTest.GRANT), "first");
    }

    /** What the process environment holds that no answer or log line may show. */
    private static String environmentSecret() {
        String path = System.getenv("PATH");
        assertTrue(path != null && path.length() > 8, "the test needs a PATH to look for");
        return "PATH=" + path;
    }

    private static long logSize() throws IOException {
        return Files.exists(LOG) ? Files.size(LOG) : 0;
    }

    private static String logSince(long offset) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(LOG.toFile(), "r")) {
            file.seek(Math.min(offset, file.length()));
            byte[] bytes = new byte[(int) (file.length() - file.getFilePointer())];
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    @Test
    void importRefusesARefThatWalksOutOfTheMirrorAndShowsNoFileContent() throws IOException {
        long offset = logSize();
        Map<String, Object> request = new HashMap<>(Map.of("git_url", repo.url(), "branch", ENVIRON, "dry_run", true));
        var response = post("/api/gitops/import", request).extract();
        assertFalse(response.asString().contains(environmentSecret()), "the answer quotes the process environment");
        assertFalse(response.asString().contains("PATH="), "the answer quotes the process environment");
        assertFalse(logSince(offset).contains(environmentSecret()), "the log quotes the process environment");
        post("/api/gitops/import", request).statusCode(400)
                .body("errors[0].field", equalTo("branch"))
                .body("errors[0].message", containsString("branch, tag or full commit id"));
    }

    @Test
    void diffRefusesARefThatWalksOutOfTheMirrorForAViewerAndLogsNoFileContent() throws IOException {
        post("/api/gitops/sources", Map.of("name", "ops", "url", repo.url())).statusCode(201);
        given().post("/api/gitops/sources/ops/sync?wait=true").then().statusCode(200).body("result", equalTo("applied"));
        Auth.as(Auth.tokenOf("gitops-viewer", "viewer"));
        long offset = logSize();
        for (String ref : List.of(ENVIRON, "../../../proc/self/environ", "main/../../../../../../../../proc/self/environ",
                "refs/../../proc/self/environ")) {
            var response = given().queryParam("ref", ref).get("/api/gitops/sources/ops/diff").then().extract();
            assertFalse(response.asString().contains("PATH="), "the answer quotes the process environment for " + ref);
            String log = logSince(offset);
            assertFalse(log.contains(environmentSecret()), "the log quotes the process environment for " + ref);
            assertFalse(log.contains("Unexpected error"), "a bad ref is the caller's mistake, not an internal error: " + ref);
            given().queryParam("ref", ref).get("/api/gitops/sources/ops/diff").then().statusCode(400)
                    .body("errors[0].field", equalTo("ref"));
        }
    }

    @Test
    void refsAreBranchesTagsOrFullCommitIds() {
        String first = repo.head();
        GitRepo.git("-C", repo.dir().toString(), "tag", "v1");
        repo.branch("feature");
        repo.commit("testum.yaml", GitopsTest.document(GitopsTest.platform("web-01", "192.0.2.10")
                + GitopsTest.platform("web-02", "192.0.2.11"), GitopsTest.GRANT), "second");
        post("/api/gitops/sources", Map.of("name", "ops", "url", repo.url())).statusCode(201);
        given().queryParam("ref", "feature").get("/api/gitops/sources/ops/diff").then().statusCode(200)
                .body("plan.platform.created", equalTo(List.of("web-01", "web-02")));
        given().queryParam("ref", "v1").get("/api/gitops/sources/ops/diff").then().statusCode(200)
                .body("revision", equalTo(first));
        given().queryParam("ref", first).get("/api/gitops/sources/ops/diff").then().statusCode(200)
                .body("revision", equalTo(first));
        given().queryParam("ref", first.substring(0, 12)).get("/api/gitops/sources/ops/diff").then().statusCode(400)
                .body("errors[0].field", equalTo("ref"))
                .body("errors[0].message", containsString("no branch, tag or commit"));
        given().queryParam("ref", "nope").get("/api/gitops/sources/ops/diff").then().statusCode(400)
                .body("errors[0].field", equalTo("ref"));
        for (String bad : List.of("a..b", "-x", "x.lock", "a//b", ".hidden", "a/.b", "x@{1}", "a b", "a\\b", "HEAD~1")) {
            post("/api/gitops/sources", Map.of("name", "bad", "url", repo.url(), "branch", bad)).statusCode(400)
                    .body("errors.field", hasItem("branch"));
            given().queryParam("ref", bad).get("/api/gitops/sources/ops/diff").then().statusCode(400)
                    .body("errors[0].field", equalTo("ref"));
        }
        io.testum.testing.Fixtures.put("/api/gitops/sources/ops", Map.of("branch", ENVIRON)).statusCode(400)
                .body("errors[0].field", equalTo("branch"))
                .body(not(containsString("PATH=")));
    }

    /** A Git server that refuses every request with 401, as one does for a wrong token. */
    private static com.sun.net.httpserver.HttpServer refusingGitServer() throws IOException {
        var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static int closedPort() throws IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aTokenInASourceUrlReachesNoAnswerStatusPageAuditEntryBackupOrLog() throws Exception {
        String token = "ghp_T0kenThatMustNeverShow" + System.nanoTime();
        String bare = "glpat-BareT0kenThatMustNeverShow" + System.nanoTime();
        long offset = logSize();
        var server = refusingGitServer();
        try {
            int refusing = server.getAddress().getPort();
            int closed = closedPort();
            List<String> bodies = new java.util.ArrayList<>();
            bodies.add(post("/api/gitops/sources", Map.of("name", "leaky", "url", "http://bot:" + token + "@127.0.0.1:"
                    + refusing + "/ops.git", "interval", "10m")).statusCode(201).extract().asString());
            bodies.add(post("/api/gitops/sources", Map.of("name", "bare", "url", "http://" + bare + "@127.0.0.1:" + closed
                    + "/ops.git", "interval", "10m")).statusCode(201).extract().asString());
            for (String name : List.of("leaky", "bare")) {
                bodies.add(given().post("/api/gitops/sources/" + name + "/sync?wait=true").then().statusCode(200)
                        .body("result", equalTo("waiting")).body("reason", equalTo("FetchFailed")).extract().asString());
                bodies.add(given().get("/api/gitops/sources/" + name + "/status").then().statusCode(200)
                        .body("message", containsString("127.0.0.1")).extract().asString());
                bodies.add(given().get("/api/gitops/sources/" + name).then().statusCode(200).extract().asString());
                bodies.add(given().queryParam("ref", "main").get("/api/gitops/sources/" + name + "/diff").then()
                        .extract().asString());
                bodies.add(given().cookie("testum_access", Auth.adminToken()).get("/gitops/" + name).then().statusCode(200)
                        .extract().asString());
            }
            bodies.add(given().get("/api/gitops/sources").then().statusCode(200).extract().asString());
            bodies.add(given().cookie("testum_access", Auth.adminToken()).get("/gitops").then().statusCode(200)
                    .extract().asString());
            bodies.add(post("/api/gitops/import", Map.of("git_url", "http://bot:" + token + "@127.0.0.1:" + refusing
                    + "/ops.git", "dry_run", true)).statusCode(400).body("errors[0].field", equalTo("git_url")).extract().asString());
            bodies.add(post("/api/gitops/import", Map.of("git_url", "http://" + bare + "@127.0.0.1:" + closed + "/ops.git",
                    "dry_run", true)).statusCode(400).extract().asString());
            bodies.add(given().get("/api/stats").then().statusCode(200).extract().asString());
            bodies.add(given().queryParam("size", 100).get("/api/audit").then().statusCode(200).extract().asString());
            bodies.add(given().get("/api/backup/export").then().statusCode(200).extract().asString());
            bodies.add(String.valueOf(TestDatabase.rows("SELECT message FROM reconcile_runs")));
            bodies.add(logSince(offset));
            for (String body : bodies) {
                assertFalse(body.contains(token), "a token shows: " + body);
                assertFalse(body.contains(bare), "a token shows: " + body);
            }
            assertTrue(String.join("\n", bodies).contains("http://***@127.0.0.1:" + refusing), "the masked URL is still named");
            given().queryParam("ref", "main").get("/api/gitops/sources/leaky/diff").then().statusCode(502)
                    .body("title", equalTo("Fetch failed")).body("detail", containsString("http://***@127.0.0.1:" + refusing));
        } finally {
            server.stop(0);
        }
    }

    private static double secondsToNextAttempt(String source) {
        return Double.parseDouble(TestDatabase.rows("SELECT extract(epoch FROM next_attempt_at - now()) FROM gitops_sources "
                + "WHERE name = ?", source).get(0).get(0));
    }

    @Test
    void anUnexpectedFailureIsRecordedInTheStatusAndRetriedWithBackoff() throws Exception {
        post("/api/gitops/sources", Map.of("name", "ops", "url", repo.url(), "interval", "10m")).statusCode(201);
        try (var c = TestDatabase.connect(); var s = c.createStatement()) {
            s.execute("CREATE FUNCTION testum_test_refuse() RETURNS trigger LANGUAGE plpgsql AS "
                    + "$$ BEGIN RAISE EXCEPTION 'the disk is full'; END $$");
            s.execute("CREATE TRIGGER testum_test_refuse BEFORE INSERT ON platforms FOR EACH ROW "
                    + "EXECUTE FUNCTION testum_test_refuse()");
        }
        try {
            given().post("/api/gitops/sources/ops/sync?wait=true").then().statusCode(200)
                    .body("result", equalTo("failed")).body("reason", equalTo("ReconcileFailed"));
            given().get("/api/gitops/sources/ops/status").then().statusCode(200)
                    .body("ready", equalTo(false)).body("reason", equalTo("ReconcileFailed"))
                    .body("message", containsString("SQL state P0001"))
                    .body("runs[0].result", equalTo("failed"));
            double first = secondsToNextAttempt("ops");
            assertTrue(first > 3 && first <= 5.5, "the first retry comes after 5 s, not at the next tick: " + first);
            given().post("/api/gitops/sources/ops/sync?wait=true").then().statusCode(200).body("result", equalTo("failed"));
            double second = secondsToNextAttempt("ops");
            assertTrue(second > 8 && second <= 10.5, "then after 10 s: " + second);
            given().get("/api/platforms/web-01").then().statusCode(404);
        } finally {
            try (var c = TestDatabase.connect(); var s = c.createStatement()) {
                s.execute("DROP TRIGGER testum_test_refuse ON platforms");
                s.execute("DROP FUNCTION testum_test_refuse()");
            }
        }
        given().post("/api/gitops/sources/ops/sync?wait=true").then().statusCode(200).body("result", equalTo("applied"));
        given().get("/api/gitops/sources/ops/status").then().body("ready", equalTo(true))
                .body("reason", equalTo("Succeeded"));
        assertTrue(secondsToNextAttempt("ops") > 590, "a success goes back to the interval");
    }

    private static Path dataDir() {
        return Path.of(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("testum.data-dir", String.class).orElse("testum-data"));
    }

    @Test
    void aDiffFetchesIntoAMirrorOfItsOwnAndRunsBesideReconciles() throws Exception {
        String name = "preview-" + Long.toHexString(System.nanoTime());
        post("/api/gitops/sources", Map.of("name", name, "url", repo.url(), "interval", "10m")).statusCode(201);
        repo.branch("feature");
        repo.commit("testum.yaml", GitopsTest.document(GitopsTest.platform("web-01", "192.0.2.10")
                + GitopsTest.platform("web-02", "192.0.2.11"), GitopsTest.GRANT), "second");
        given().queryParam("ref", "feature").get("/api/gitops/sources/" + name + "/diff").then().statusCode(200)
                .body("plan.platform.created", equalTo(List.of("web-01", "web-02")));
        assertFalse(Files.exists(dataDir().resolve("gitops").resolve(name + ".git")),
                "the diff left the reconcile's mirror alone");
        assertTrue(Files.exists(dataDir().resolve("gitops-preview").resolve(name + ".git")));

        var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<java.util.concurrent.Future<Integer>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 24; i++) {
                boolean diff = i % 2 == 0;
                String ref = i % 4 == 0 ? "feature" : "main";
                calls.add(pool.submit(() -> diff
                        ? given().queryParam("ref", ref).get("/api/gitops/sources/" + name + "/diff").statusCode()
                        : given().post("/api/gitops/sources/" + name + "/sync?wait=true").statusCode()));
            }
            for (var call : calls) {
                assertEquals(200, call.get(120, java.util.concurrent.TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        given().get("/api/gitops/sources/" + name + "/status").then().body("ready", equalTo(true));
    }

    @Test
    void anSshSourceTrustsOnlyTheHostKeyItDeclaresAndOtherwiseThePinnedOne() {
        SshFleet.Host host = fleet.host(0);
        String publicKey = post("/api/credentials/generate", Map.of("name", "git-key")).statusCode(201).extract()
                .path("public_key");
        String url = SshGitRepo.serve(host, repo, publicKey);
        String real = host.hostKeyFingerprint();
        String other = "SHA256:" + "A".repeat(43);

        post("/api/gitops/sources", Map.of("name", "declared", "url", url, "credential", "git-key", "host_key", other,
                "interval", "10m")).statusCode(201).body("host_key", equalTo(other));
        given().post("/api/gitops/sources/declared/sync?wait=true").then().statusCode(200)
                .body("result", equalTo("waiting"))
                .body("message", containsString("is " + real + ", but the source declares " + other));
        given().get("/api/gitops/sources/declared").then().body("pinned_host_key", org.hamcrest.Matchers.nullValue());
        given().get("/api/platforms/web-01").then().statusCode(404);
        io.testum.testing.Fixtures.put("/api/gitops/sources/declared", Map.of("host_key", real)).statusCode(200);
        given().post("/api/gitops/sources/declared/sync?wait=true").then().statusCode(200).body("result", equalTo("applied"));
        given().get("/api/gitops/sources/declared").then().body("pinned_host_key", org.hamcrest.Matchers.nullValue());

        io.testum.testing.Fixtures.put("/api/gitops/sources/declared", Map.of("host_key", "")).statusCode(200)
                .body("host_key", org.hamcrest.Matchers.nullValue());
        given().post("/api/gitops/sources/declared/sync?wait=true").then().statusCode(200).body("result", equalTo("applied"));
        given().get("/api/gitops/sources/declared").then().body("pinned_host_key", equalTo(real));
        host.stop();
        host.newHostKey();
        host.start();
        String replaced = host.hostKeyFingerprint();
        given().post("/api/gitops/sources/declared/sync?wait=true").then().statusCode(200)
                .body("result", equalTo("waiting"))
                .body("message", containsString("is " + replaced + ", but the source has pinned " + real));
        post("/api/gitops/sources", Map.of("name", "bad-key", "url", url, "host_key", "ssh-ed25519 AAAA")).statusCode(400)
                .body("errors[0].field", equalTo("host_key"));
        given().cookie("testum_access", Auth.adminToken()).get("/gitops/declared").then().statusCode(200);
    }

    @Test
    void theMigrationMasksTokensInMessagesStoredBeforeTheFix() throws Exception {
        String migration = Files.readString(Path.of("src/main/resources/db/migration/V7__gitops_source_host_key.sql"));
        var call = java.util.regex.Pattern.compile("regexp_replace\\(message, ('[^']*'), ('[^']*'), 'g'\\)").matcher(migration);
        assertTrue(call.find(), migration);
        String masked = TestDatabase.rows("SELECT regexp_replace(?, " + call.group(1) + ", " + call.group(2) + ", 'g')",
                "Fetching https://bot:tok3n@git.example.com/x.git failed: https://tok3n@git.example.com/x.git: not authorized")
                .get(0).get(0);
        assertEquals("Fetching https://***@git.example.com/x.git failed: https://***@git.example.com/x.git: not authorized",
                masked);
    }
}

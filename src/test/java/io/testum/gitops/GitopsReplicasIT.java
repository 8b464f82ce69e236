package io.testum.gitops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.restassured.path.json.JsonPath;
import io.testum.db.EmbeddedDatabase;
import io.testum.testing.GitRepo;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Two replicas of the packaged service ({@code target/quarkus-app}) on one PostgreSQL, as on
 * Kubernetes: reconciles that meet across replicas, and an object the API makes while a reconcile
 * is being applied. The test holds the apply lock itself to make the meetings happen for certain.
 */
class GitopsReplicasIT {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final String ADMIN_PASSWORD = "replicas-admin-password";
    private static final String MASTER_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    static Path tmp;

    private static EmbeddedDatabase postgres;
    private static String jdbcUrl;
    private static final List<Replica> REPLICAS = new ArrayList<>();
    private static Replica one;
    private static Replica two;

    @TempDir
    Path work;

    @BeforeAll
    static void startReplicas() throws Exception {
        postgres = EmbeddedDatabase.start(tmp.resolve("pg"));
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgres.url().port() + "/postgres",
                postgres.user(), postgres.password()); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE replicas");
        }
        jdbcUrl = "jdbc:postgresql://127.0.0.1:" + postgres.url().port() + "/replicas";
        // one after the other: the first creates the schema and the first admin
        one = Replica.start("one");
        one.awaitReady();
        two = Replica.start("two");
        two.awaitReady();
        one.signIn();
        two.signIn();
    }

    @AfterAll
    static void stopReplicas() throws Exception {
        for (Replica r : REPLICAS) {
            r.process.destroy();
            if (!r.process.waitFor(30, TimeUnit.SECONDS)) {
                r.process.destroyForcibly();
            }
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE access_grant_keys, access_grant_platforms, access_grants, platforms, ssh_keys, credentials, "
                    + "gitops_sources, reconcile_runs RESTART IDENTITY CASCADE");
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, postgres.user(), postgres.password());
    }

    /** Holds the lock every apply takes first, until closed. */
    private static Connection holdApplyLock() throws SQLException {
        Connection c = connect();
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_lock(hashtext('testum.gitops.apply'))");
        }
        return c;
    }

    /** Sessions of reconciles of {@code source} (holding its lock or trying to take it), of any replica. */
    private static int reconcileSessions(String source) throws SQLException {
        try (Connection c = connect();
                var s = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE ?")) {
            s.setString(1, "testum reconcile " + source + ": %");
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Advisory locks some session waits for right now. */
    private static int waiters() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private GitRepo repo(String name, String host) {
        GitRepo repo = GitRepo.init(work.resolve(name));
        repo.commit("testum.yaml", GitopsTest.document(GitopsTest.platform("web-01", host), GitopsTest.GRANT), "first");
        return repo;
    }

    private static String source(String name, GitRepo repo) {
        return "{\"name\":\"" + name + "\",\"url\":\"" + repo.url() + "\",\"interval\":\"1h\"}";
    }

    @Test
    void aPlatformMadeThroughTheApiWhileAReconcileWaitsToApplyIsNeverOverwritten() throws Exception {
        GitRepo repo = repo("ops", "192.0.2.10");
        assertEquals(201, one.post("/api/gitops/sources", source("ops", repo)).statusCode());
        CompletableFuture<HttpResponse<String>> sync;
        try (Connection lock = holdApplyLock()) {
            sync = one.postAsync("/api/gitops/sources/ops/sync?wait=true");
            await("the first reconcile waits for the apply lock").atMost(Duration.ofSeconds(60)).until(() -> waiters() >= 1);
            assertEquals(201, two.post("/api/credentials/generate", "{\"name\":\"mine\"}").statusCode());
            HttpResponse<String> made = two.post("/api/platforms", "{\"name\":\"web-01\",\"host\":\"198.51.100.7\","
                    + "\"username\":\"deploy\",\"auth_method\":\"key\",\"credential\":\"mine\"}");
            assertEquals(201, made.statusCode(), made.body());
        }
        HttpResponse<String> result = sync.get(120, TimeUnit.SECONDS);
        assertEquals(200, result.statusCode(), result.body());
        JsonPath run = JsonPath.from(result.body());
        JsonPath platform = JsonPath.from(two.get("/api/platforms/web-01").body());
        assertEquals("198.51.100.7", platform.getString("host"), "the API's platform was overwritten by Git: " + result.body());
        assertEquals("api", platform.getString("source"));
        assertEquals("stalled", run.getString("result"), result.body());
        assertTrue(run.getList("errors.message", String.class).stream()
                .anyMatch(m -> m.contains("platform 'web-01' is defined here and is also created through the API")), result.body());
    }

    @Test
    void twoSourcesThatDeclareOneNameOnTwoReplicasLeaveItToOneOfThem() throws Exception {
        assertEquals(201, one.post("/api/gitops/sources", source("alpha", repo("alpha", "192.0.2.21"))).statusCode());
        assertEquals(201, one.post("/api/gitops/sources", source("beta", repo("beta", "192.0.2.22"))).statusCode());
        CompletableFuture<HttpResponse<String>> alpha;
        CompletableFuture<HttpResponse<String>> beta;
        try (Connection lock = holdApplyLock()) {
            alpha = one.postAsync("/api/gitops/sources/alpha/sync?wait=true");
            beta = two.postAsync("/api/gitops/sources/beta/sync?wait=true");
            await("both reconciles wait for the apply lock").atMost(Duration.ofSeconds(60)).until(() -> waiters() >= 2);
        }
        JsonPath a = JsonPath.from(alpha.get(120, TimeUnit.SECONDS).body());
        JsonPath b = JsonPath.from(beta.get(120, TimeUnit.SECONDS).body());
        assertEquals(List.of("applied", "stalled"), Stream.of(a.getString("result"), b.getString("result")).sorted().toList(),
                "one applies, the other stalls on the clash: " + a.prettify() + b.prettify());
        String owner = a.getString("result").equals("applied") ? "alpha" : "beta";
        JsonPath platform = JsonPath.from(one.get("/api/platforms/web-01").body());
        assertEquals(owner, platform.getString("source"));
        assertEquals(owner.equals("alpha") ? "192.0.2.21" : "192.0.2.22", platform.getString("host"),
                "the owner's document is what is stored");
        JsonPath stalled = owner.equals("alpha") ? b : a;
        assertTrue(stalled.getList("errors.message", String.class).stream()
                .anyMatch(m -> m.contains("GitOps source '" + owner + "'")), stalled.prettify());
    }

    @Test
    void oneSourceSyncedOnTwoReplicasAtOnceRunsOneReconcileAtATime() throws Exception {
        assertEquals(201, one.post("/api/gitops/sources", source("gamma", repo("gamma", "192.0.2.30"))).statusCode());
        CompletableFuture<HttpResponse<String>> first;
        CompletableFuture<HttpResponse<String>> second;
        try (Connection lock = holdApplyLock()) {
            first = one.postAsync("/api/gitops/sources/gamma/sync?wait=true");
            await("the first reconcile waits for the apply lock").atMost(Duration.ofSeconds(60)).until(() -> waiters() >= 1);
            second = two.postAsync("/api/gitops/sources/gamma/sync?wait=true");
            await("the second replica's reconcile waits for the source lock").atMost(Duration.ofSeconds(60))
                    .until(() -> reconcileSessions("gamma") >= 2);
        }
        assertEquals(200, first.get(120, TimeUnit.SECONDS).statusCode());
        assertEquals(200, second.get(120, TimeUnit.SECONDS).statusCode());
        List<List<String>> runs = rows("SELECT (extract(epoch FROM started_at) * 1000)::bigint, duration_ms, result "
                + "FROM reconcile_runs WHERE source = 'gamma' ORDER BY started_at");
        assertEquals(2, runs.size(), String.valueOf(runs));
        long firstEnd = Long.parseLong(runs.get(0).get(0)) + Long.parseLong(runs.get(0).get(1));
        long secondStart = Long.parseLong(runs.get(1).get(0));
        assertTrue(secondStart >= firstEnd, "the second reconcile began while the first was still under way: " + runs);
        assertEquals("applied", runs.get(0).get(2));
    }

    private static List<List<String>> rows(String sql) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** One replica: the packaged jar with a data directory of its own, on the shared database. */
    private record Replica(String name, Process process, int port, Path log, String[] token) {

        static Replica start(String name) throws IOException {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path log = tmp.resolve(name + ".log");
            Path app = Path.of(System.getProperty("testum.app.dir", "target/quarkus-app")).toAbsolutePath();
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                    // the interval ticks stay out of the way: the test starts every reconcile
                    "-Dtestum.gitops.tick=1h",
                    "-jar", app.resolve("quarkus-run.jar").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).directory(tmp.toFile());
            builder.environment().put("TESTUM_DB_URL", "postgresql://127.0.0.1:" + postgres.url().port() + "/replicas");
            builder.environment().put("TESTUM_DB_USER", postgres.user());
            builder.environment().put("TESTUM_DB_PASSWORD", postgres.password());
            builder.environment().put("TESTUM_MASTER_KEY", MASTER_KEY);
            builder.environment().put("TESTUM_ADMIN_PASSWORD", ADMIN_PASSWORD);
            builder.environment().put("TESTUM_DATA_DIR", tmp.resolve("data-" + name).toString());
            builder.environment().put("TESTUM_LEADER_ELECTION", "postgres");
            builder.environment().remove("TESTUM_GITOPS_URL");
            Replica replica = new Replica(name, builder.start(), port, log, new String[1]);
            REPLICAS.add(replica);
            return replica;
        }

        void awaitReady() throws Exception {
            try {
                await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(250)).ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("replica " + name + " exited with " + process.exitValue() + ":\n" + output());
                    }
                    return get("/api/health").statusCode() == 200;
                });
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("replica " + name + " was not ready within " + READY_TIMEOUT + ":\n" + output(), e);
            }
        }

        String output() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        void signIn() throws Exception {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/auth/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}")));
            assertEquals(200, response.statusCode(), response.body());
            token[0] = JsonPath.from(response.body()).getString("access_token");
        }

        private URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        private HttpRequest.Builder request(String path) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofMinutes(3));
            return token[0] == null ? builder : builder.header("Authorization", "Bearer " + token[0]);
        }

        private HttpResponse<String> send(HttpRequest.Builder builder) throws IOException, InterruptedException {
            return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return send(request(path).GET());
        }

        HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
            return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
        }

        CompletableFuture<HttpResponse<String>> postAsync(String path) {
            return HTTP.sendAsync(request(path).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}

package io.testum.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/**
 * The exit codes testumctl documents, against a local HTTP server that answers as the service does
 * (status and problem details): 1 refused, 2 usage, 3 not found, 4 conflict, 5 a waited-for failure.
 */
class ExitCodeTest {

    private static final String SECRET_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-not-a-real-key\n"
            + "-----END OPENSSH PRIVATE KEY-----\n";

    @TempDir
    Path home;

    private HttpServer server;
    private final Map<String, int[]> statuses = new ConcurrentHashMap<>();
    private final Map<String, String> bodies = new ConcurrentHashMap<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String key = exchange.getRequestMethod() + " " + exchange.getRequestURI();
            received.add(key + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            int status = statuses.getOrDefault(key, new int[] { 404 })[0];
            byte[] body = bodies.getOrDefault(key, problem(404, "no route " + key)).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", status / 100 == 2 ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(String request, int status, String body) {
        statuses.put(request, new int[] { status });
        bodies.put(request, body);
    }

    private static String problem(int status, String detail) {
        return "{\"type\":\"about:blank\",\"title\":\"t\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}";
    }

    private int run(String stdin, String... args) {
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return Testumctl.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), home,
                Map.of("TESTUM_URL", url, "TESTUM_TOKEN", "tsm_test"));
    }

    private String errText() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void whatDoesNotExistExitsWith3() {
        answer("DELETE /api/keys/nobody", 404, problem(404, "key 'nobody' not found"));

        assertEquals(3, run("", "keys", "remove", "nobody"));
        assertThat(errText()).isEqualTo("testumctl: key 'nobody' not found\n");
    }

    @Test
    void aConflictExitsWith4AndNamesWhereTheFieldIsWrong() {
        answer("POST /api/access", 409, "{\"status\":409,\"title\":\"Conflict\",\"detail\":\"access grant web-admins exists already\","
                + "\"errors\":[{\"field\":\"name\",\"message\":\"is taken\"}]}");

        assertEquals(4, run("", "grants", "create", "web-admins", "--keys", "alice", "--selector", "role=web"));
        assertThat(errText()).isEqualTo("testumctl: access grant web-admins exists already\n  name: is taken\n");
    }

    @Test
    void aRefusedCallExitsWith1() {
        answer("GET /api/users?page=0&size=1000", 403, problem(403, "admin role required"));
        answer("POST /api/credentials/generate", 400, problem(400, "1 problem; see errors"));

        assertEquals(1, run("", "users", "list"));
        assertThat(errText()).contains("testumctl: admin role required");
        assertEquals(1, run("", "credentials", "generate", "x", "--type", "dsa"));
    }

    @Test
    void aStalledSyncThatWasWaitedForExitsWith5() {
        answer("POST /api/gitops/sources/ops/sync?wait=true", 200, "{\"result\":\"stalled\",\"reason\":\"ValidationFailed\","
                + "\"message\":\"invalid\",\"errors\":[{\"file\":\"testum.yaml\",\"line\":4,\"column\":11,\"message\":\"port: bad\"}]}");
        answer("POST /api/gitops/sources/ok/sync?wait=true", 200, "{\"result\":\"applied\"}");

        assertEquals(5, run("", "sources", "sync", "ops", "--wait"));
        assertThat(errText()).contains("ops stalled (ValidationFailed)").contains("  testum.yaml:4:11: port: bad");
        assertEquals(0, run("", "sources", "sync", "ok"));
        assertEquals(2, run("", "sources", "sync", "ok", "--wait", "--no-wait"));
    }

    @Test
    void theCodesMapFromHttpStatuses() {
        assertEquals(3, Testumctl.exitCode(new ApiException(404, "x", List.of())));
        assertEquals(4, Testumctl.exitCode(new ApiException(409, "x", List.of())));
        assertEquals(1, Testumctl.exitCode(new ApiException(400, "x", List.of())));
        assertEquals(1, Testumctl.exitCode(new ApiException(401, "x", List.of())));
        assertEquals(1, Testumctl.exitCode(new ApiException("cannot reach")));
    }

    @Test
    void aPrivateKeyIsReadFromAFileOrStandardInputAndNeverPrintedEvenWhenRefused() throws IOException {
        answer("POST /api/credentials/import", 400, "{\"status\":400,\"detail\":\"1 problem; see errors\","
                + "\"errors\":[{\"field\":\"private_key\",\"message\":\"is not a private key testum can read\"}]}");
        Path file = home.resolve("deployer");
        Files.writeString(file, SECRET_KEY);

        assertEquals(1, run("", "credentials", "import", "deployer", "--private-key-file", file.toString()));
        assertEquals(1, run(SECRET_KEY, "credentials", "import", "deployer", "-f", "-"));

        assertThat(received).hasSize(2).allSatisfy(r -> assertThat(r).contains("\"private_key\":\"" + SECRET_KEY.replace("\n", "\\n")));
        assertThat(errText()).contains("  private_key: is not a private key testum can read").doesNotContain("OPENSSH");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void noOptionTakesASecretOnTheCommandLine() {
        assertEquals(2, run("", "credentials", "import", "deployer", "--private-key", SECRET_KEY));
        assertEquals(2, run("", "credentials", "import", "deployer", "--password", "hunter2"));
        assertEquals(2, run("", "users", "create", "alice", "--role", "viewer", "--password", "hunter2"));
        assertEquals(2, run("", "credentials", "import", "deployer", "-f", "-", "--passphrase-file", "-"));
        assertThat(received).isEmpty();
    }

    @Test
    void aNewTokenIsPrintedAloneOnStandardOutputOnce() {
        answer("POST /api/tokens", 201, "{\"id\":7,\"name\":\"ci\",\"role\":\"operator\",\"owner\":\"admin\",\"expires_at\":null,"
                + "\"token\":\"tsm_secret_once\"}");

        assertEquals(0, run("", "tokens", "create", "ci", "--role", "operator"));
        assertEquals("tsm_secret_once\n", out.toString(StandardCharsets.UTF_8));
        assertThat(errText()).contains("token ci (id 7, operator").contains("shown only this once").doesNotContain("tsm_secret_once");
    }

    @Test
    void accessHistoryAsksForTheMomentWithItsFiltersNamesTheKeysAndRefusesAMomentWithARange() {
        answer("GET /api/access-history?platform=web-01&at=2026-11-30T12%3A00%3A00Z&page=0&size=1000", 200,
                "{\"items\":[{\"platform\":\"web-01\",\"user\":\"deploy\",\"observed\":\"managed\","
                        + "\"keys\":[{\"name\":\"alice\",\"fingerprint\":\"SHA256:a\"},{\"name\":null,\"fingerprint\":\"SHA256:b\"}],"
                        + "\"from\":\"2026-11-29T10:00:00Z\",\"to\":null,\"source\":\"ops\",\"revision\":\"abc123\"}],\"total\":1}");

        assertEquals(0, run("", "access-history", "--platform", "web-01", "--at", "2026-11-30T12:00:00Z"));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("web-01").contains("alice,SHA256:b").contains("abc123");

        assertEquals(2, run("", "access-history", "--at", "2026-11-30T12:00:00Z", "--from", "2026-11-01T00:00:00Z"));
        assertThat(received).hasSize(1);
    }

    @Test
    void anAlertsSecretAndTokenUrlComeFromAFileOrStandardInputAndAreNeverPrinted() throws IOException {
        answer("POST /api/alerts", 201, "{\"name\":\"ops\",\"type\":\"webhook\",\"url\":\"https://hooks.example.org/…\","
                + "\"secret_set\":true,\"events\":[\"run.failed\"],\"selector\":{},\"enabled\":true,\"source\":\"api\"}");
        Path url = home.resolve("url");
        Files.writeString(url, "https://hooks.example.org/T000/B000/tok3n\n");

        assertEquals(0, run("sig-s3cret-value\n", "alerts", "create", "ops", "--type", "webhook", "--url-file", url.toString(),
                "--secret-file", "-", "--events", "run.failed"));
        assertThat(received).singleElement().satisfies(r -> assertThat(r).contains("\"secret\":\"sig-s3cret-value\"")
                .contains("\"url\":\"https://hooks.example.org/T000/B000/tok3n\"").contains("\"events\":[\"run.failed\"]"));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("alert ops created").doesNotContain("s3cret").doesNotContain("tok3n");

        assertEquals(2, run("", "alerts", "create", "ops", "--type", "webhook", "--url", "https://x", "--secret", "s3cret"));
        assertEquals(2, run("", "alerts", "create", "ops", "--url", "https://x", "--url-file", url.toString()));
        assertEquals(2, run("", "alerts", "create", "ops", "--url-file", "-", "--secret-file", "-"));
        assertThat(received).hasSize(1);
    }
}

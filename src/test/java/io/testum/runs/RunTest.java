package io.testum.runs;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.testum.db.DatabaseConfig;
import io.testum.deploy.PlatformConnector;
import io.testum.ssh.SshConfig;
import io.testum.testing.Auth;
import io.testum.testing.PostgresResource;
import io.testum.testing.SshFleet;
import io.testum.testing.TestDatabase;
import io.testum.testing.WithSshFleet;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;

/** Ad-hoc runs on real OpenSSH servers: fan-out, limits, cancel, live output, and two replicas. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithSshFleet(hosts = 3)
class RunTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private SshFleet fleet;

    @Inject
    RunRepository repository;
    @Inject
    RunWorker worker;
    @Inject
    jakarta.enterprise.event.Event<io.testum.alerts.Occurrence> occurrences;
    @Inject
    PlatformConnector sessions;
    @Inject
    RunsConfig runsConfig;
    @Inject
    SshConfig sshConfig;
    @Inject
    DatabaseConfig databaseConfig;
    @Inject
    MeterRegistry meters;
    @Inject
    Vertx vertx;
    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String databaseUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    java.util.Optional<String> databaseUser;
    @ConfigProperty(name = "quarkus.datasource.password")
    java.util.Optional<String> databasePassword;

    @TestHTTPResource("/")
    URI base;

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        Auth.asAdmin();
        String testumKey = post("/api/credentials/generate", Map.of("name", "runner")).statusCode(201).extract()
                .path("public_key");
        for (int i = 0; i < fleet.hosts().size(); i++) {
            SshFleet.Host host = fleet.host(i);
            host.writeAuthorizedKeys(testumKey + "\n");
            post("/api/platforms", Map.of("name", "host-" + i, "host", host.address(), "port", host.port(),
                    "username", host.user(), "auth_method", "key", "credential", "runner",
                    "labels", Map.of("tier", i == 2 ? "db" : "web"))).statusCode(201);
        }
    }

    private static String submit(Map<String, Object> body) {
        return post("/api/runs", body).statusCode(202).extract().path("id");
    }

    private static Map<String, Object> run(String command, Object targets, Object... more) {
        Map<String, Object> body = new HashMap<>();
        body.put("command", command);
        body.put("targets", targets);
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    private static Map<String, Object> all() {
        return Map.of("platforms", List.of("host-0", "host-1", "host-2"));
    }

    /** The run as the API shows it. */
    private static JsonPath runView(String id) {
        return given().get("/api/runs/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static boolean finished(JsonPath run) {
        return RunStatus.of(run.getString("status")).finished();
    }

    private static Map<String, Object> result(JsonPath run, String platform) {
        return run.getList("results", Map.class).stream().filter(r -> platform.equals(r.get("platform"))).findFirst()
                .map(r -> (Map<String, Object>) r).orElseThrow();
    }

    private static List<String> processes(String pattern) throws Exception {
        Process ps = new ProcessBuilder("pgrep", "-f", pattern).redirectErrorStream(true).start();
        String out = new String(ps.getInputStream().readAllBytes()).strip();
        ps.waitFor();
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    @Test
    void fansOutAndKeepsEachHostsExitCodeStdoutAndStderrApart() throws Exception {
        String id = submit(run("echo out-$(id -un); echo err-$(id -un) >&2; [ $(id -un) = " + fleet.host(1).user()
                + " ] && exit 3; exit 0", all()));
        JsonPath run = await().atMost(WAIT).until(() -> runView(id), RunTest::finished);

        assertThat(run.getString("status")).isEqualTo("failed");
        assertThat(run.getString("requested_by")).isEqualTo("admin");
        for (int i = 0; i < 3; i++) {
            Map<String, Object> r = result(run, "host-" + i);
            String user = fleet.host(i).user();
            assertThat(r.get("stdout")).isEqualTo("out-" + user + "\n");
            assertThat(r.get("stderr")).isEqualTo("err-" + user + "\n");
            assertThat(r.get("exit_code")).isEqualTo(i == 1 ? 3 : 0);
            assertThat(r.get("status")).isEqualTo(i == 1 ? "failed" : "succeeded");
            assertThat(r.get("truncated")).isEqualTo(false);
            assertThat(r.get("started_at")).isNotNull();
            assertThat(r.get("finished_at")).isNotNull();
        }
    }

    @Test
    void aScriptRunsOnStdinWithItsInterpreterArgsAndEnvAndNoneOfItIsInTheProcessList() throws Exception {
        String marker = "marker-" + UUID.randomUUID();
        String secret = "s3cr3t-" + UUID.randomUUID() + " it's";
        String script = "# " + marker + "\n"
                + "echo \"args:$1|$2\"\n"
                + "echo \"env:${#TOKEN}:${TOKEN%%-*}\"\n"
                + "tr '\\0' ' ' < /proc/$$/cmdline; echo\n"
                + "tr '\\0' ' ' < /proc/$PPID/cmdline; echo\n"
                + "TESTUM_SCRIPT_x\n"
                + "exit 4";
        String id = submit(Map.of("script", script, "interpreter", "bash", "args", List.of("one", "two words"),
                "env", Map.of("TOKEN", secret), "targets", Map.of("platforms", List.of("host-0"))));
        JsonPath run = await().atMost(WAIT).until(() -> runView(id), RunTest::finished);

        Map<String, Object> r = result(run, "host-0");
        String[] lines = ((String) r.get("stdout")).split("\n");
        assertThat(lines[0]).isEqualTo("args:one|two words");
        assertThat(lines[1]).isEqualTo("env:" + secret.length() + ":s3cr3t");
        assertThat(lines[2].strip()).isEqualTo("bash -s one two words");
        assertThat(lines[3]).doesNotContain(marker).doesNotContain(secret);
        assertThat(r.get("exit_code")).as("the script's own exit status, past a line that looks like a delimiter")
                .isEqualTo(4);
        assertThat(run.getString("command")).isNull();
        assertThat(run.getString("script")).isEqualTo(script);
        assertThat(run.getString("interpreter")).isEqualTo("bash");
        assertThat(run.getList("args")).containsExactly("one", "two words");
        assertThat(run.getList("env")).as("names only").containsExactly("TOKEN");
        String answers = given().get("/api/runs/" + id).asString() + given().get("/api/runs").asString();
        assertThat(answers).doesNotContain("s3cr3t-");
        try (var c = TestDatabase.connect(); var q = c.prepareStatement("SELECT env_sealed FROM runs WHERE id = ?")) {
            q.setObject(1, UUID.fromString(id));
            try (var rows = q.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(new String(rows.getBytes(1), java.nio.charset.StandardCharsets.ISO_8859_1))
                        .as("sealed at rest").doesNotContain("s3cr3t-");
            }
        }
    }

    @Test
    void aPythonScriptReadsItsProgramFromStdinAndTheDefaultInterpreterIsTheShell() throws Exception {
        String python = submit(Map.of("script", "import os, sys\nprint(sys.argv[1:], os.environ['GREETING'])\n",
                "interpreter", "python3", "args", List.of("x y"), "env", Map.of("GREETING", "hi"),
                "targets", Map.of("platforms", List.of("host-0", "host-1"))));
        String shell = submit(Map.of("script", "echo \"$0:$#\" | sed 's/.*sh:/sh:/'\n", "targets", Map.of("platforms", List.of("host-2"))));

        JsonPath p = await().atMost(WAIT).until(() -> runView(python), RunTest::finished);
        assertThat(p.getString("status")).isEqualTo("succeeded");
        assertThat(p.getList("results.stdout")).containsOnly("['x y'] hi\n");
        JsonPath s = await().atMost(WAIT).until(() -> runView(shell), RunTest::finished);
        assertThat(s.getString("interpreter")).isEqualTo("/bin/sh");
        assertThat(result(s, "host-2").get("stdout")).isEqualTo("sh:0\n");
        assertThat(given().get("/api/runs?size=5").then().statusCode(200).extract().jsonPath().getList("items.interpreter"))
                .contains("python3", "/bin/sh");
    }

    @Test
    void aScriptRequestThatCouldReachTheShellOrCarriesBothFormsIsRefusedWithTheField() {
        Map<String, Object> targets = Map.of("platforms", List.of("host-0"));
        post("/api/runs", Map.of("command", "id", "script", "id", "targets", targets)).statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItem("command"));
        post("/api/runs", Map.of("script", "id", "interpreter", "python3; rm -rf ~", "targets", targets)).statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItem("interpreter"));
        post("/api/runs", Map.of("script", "id", "env", Map.of("1BAD", "x", "OK", "v"), "targets", targets)).statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItem("env"));
        post("/api/runs", Map.of("interpreter", "bash", "targets", targets)).statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItem("script"));
        assertThat(given().get("/api/runs").then().extract().jsonPath().getInt("total")).isZero();
    }

    @Test
    void finishedRunsShowInMetricsAndFleetStats() throws Exception {
        String id = submit(run("exit 1", Map.of("platforms", List.of("host-0"))));
        await().atMost(WAIT).until(() -> runView(id), RunTest::finished);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("testum_runs_total{status=\"failed\"}")
                .contains("testum_run_host_duration_seconds_count{status=\"failed\"}")
                .contains("testum_ssh_sessions_active").contains("testum_deployments{status=\"in_sync\"}");
        given().get("/api/stats").then().statusCode(200)
                .body("runs_last24h.failed", org.hamcrest.Matchers.equalTo(1))
                .body("runs_last24h.succeeded", org.hamcrest.Matchers.equalTo(0))
                .body("platforms.total", org.hamcrest.Matchers.equalTo(3))
                .body("deployments.in_sync", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void resolvesTargetsBySelectorAndNamesAtSubmitAndRefusesAnEmptySet() {
        List<String> targets = post("/api/runs", run("true", Map.of("platforms", List.of("host-2"), "selector",
                Map.of("tier", "web")))).statusCode(202).extract().path("targets");
        assertThat(targets).containsExactly("host-2", "host-0", "host-1");

        post("/api/runs", run("true", Map.of("selector", Map.of("tier", "cache")))).statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("targets"))
                .body("errors[0].message", containsString("empty"));
        post("/api/runs", run("true", Map.of("platforms", List.of("host-0", "nope")))).statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("targets.platforms"))
                .body("errors[0].message", containsString("nope"));
        post("/api/runs", run(" ", Map.of(), "timeout_seconds", 999_999)).statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItems("command", "timeout_seconds", "targets"));
    }

    @Test
    void aTimedOutCommandIsMarkedAndItsRemoteProcessIsGone() throws Exception {
        String id = submit(run("sleep 4321", Map.of("platforms", List.of("host-0")), "timeout_seconds", 1));
        JsonPath run = await().atMost(WAIT).until(() -> runView(id), RunTest::finished);

        assertThat(run.getString("status")).isEqualTo("timed_out");
        assertThat(result(run, "host-0").get("status")).isEqualTo("timed_out");
        assertThat(processes("sleep 4321")).isEmpty();
    }

    @Test
    void cancelStopsTheRunningCommandAndCancelsHostsNotStarted() throws Exception {
        String id = submit(run("sleep 5432", all(), "concurrency", 1));
        await().atMost(Duration.ofSeconds(20)).until(() -> !processes("sleep 5432").isEmpty());
        assertThat(processes("sleep 5432")).isNotEmpty();

        given().post("/api/runs/" + id + "/cancel").then().statusCode(202);
        JsonPath run = await().atMost(WAIT).until(() -> runView(id), RunTest::finished);

        assertThat(run.getString("status")).isEqualTo("canceled");
        assertThat(run.getList("results.status")).containsOnly("canceled");
        assertThat(processes("sleep 5432")).isEmpty();
        given().post("/api/runs/" + id + "/cancel").then().statusCode(409);
    }

    @Test
    void maxFailuresStopsStartingHosts() throws Exception {
        String id = submit(run("exit 7", all(), "concurrency", 1, "max_failures", 1));
        JsonPath run = await().atMost(WAIT).until(() -> runView(id), RunTest::finished);

        assertThat(run.getString("status")).isEqualTo("failed");
        assertThat(run.getList("results.status")).containsExactly("failed", "canceled", "canceled");
        assertThat(result(run, "host-1").get("error").toString()).contains("max_failures");
    }

    @Test
    void outputOverTheCapIsCutAndFlaggedTruncated() throws Exception {
        String id = submit(run("head -c 200000 /dev/zero | tr '\\0' a; echo tail >&2", Map.of("platforms", List.of("host-0"))));
        JsonPath run = await().atMost(WAIT).until(() -> runView(id), RunTest::finished);

        Map<String, Object> r = result(run, "host-0");
        assertThat(r.get("truncated")).isEqualTo(true);
        assertThat(r.get("stdout").toString()).hasSize(runsConfig.maxOutputBytes()).matches("a+");
        assertThat(r.get("stderr")).isEqualTo("tail\n");
        assertThat(run.getString("status")).isEqualTo("succeeded");
    }

    @Test
    void groupsHostsByIdenticalResult() throws Exception {
        String id = submit(run("[ $(id -un) = " + fleet.host(2).user() + " ] && { echo odd; exit 1; }; echo same", all()));
        await().atMost(WAIT).until(() -> runView(id), RunTest::finished);

        List<Map<String, Object>> groups = given().get("/api/runs/" + id + "/groups").then().statusCode(200).extract()
                .jsonPath().getList("$");
        assertThat(groups).hasSize(2);
        assertThat(groups.get(0)).containsEntry("stdout", "same\n").containsEntry("exit_code", 0)
                .containsEntry("platforms", List.of("host-0", "host-1"));
        assertThat(groups.get(1)).containsEntry("stdout", "odd\n").containsEntry("exit_code", 1)
                .containsEntry("platforms", List.of("host-2"));
    }

    @Test
    void listsRunsFilteredByStatusRequesterAndPlatform() throws Exception {
        String ok = submit(run("true", Map.of("platforms", List.of("host-0"))));
        String bad = submit(run("false", Map.of("platforms", List.of("host-1"))));
        await().atMost(WAIT).until(() -> runView(ok), RunTest::finished);
        await().atMost(WAIT).until(() -> runView(bad), RunTest::finished);

        given().get("/api/runs?status=failed").then().statusCode(200).body("total", org.hamcrest.Matchers.equalTo(1))
                .body("items[0].id", org.hamcrest.Matchers.equalTo(bad))
                .body("items[0].hosts.failed", org.hamcrest.Matchers.equalTo(1));
        given().get("/api/runs?platform=host-0").then().body("items.id", org.hamcrest.Matchers.contains(ok));
        given().get("/api/runs?requested_by=admin").then().body("total", org.hamcrest.Matchers.equalTo(2));
        given().get("/api/runs?status=nonsense").then().statusCode(400);
        given().get("/api/runs/" + UUID.randomUUID()).then().statusCode(404);
    }

    private static final String SLOW = "for i in 1 2 3; do echo line$i; sleep 0.4; done; echo fin >&2";
     /** Whether the run has stored output, so that what follows is part replay, part live. */
    private boolean hasOutput(String id) {
        return repository.events(UUID.fromString(id), 0, 100).await().atMost(Duration.ofSeconds(10)).stream()
                .anyMatch(e -> RunEvent.OUTPUT.equals(e.type()));
    }

   @Test
    void serverSentEventsReplayThenStreamLiveUntilRunDone() throws Exception {
        String id = submit(run(SLOW, Map.of("platforms", List.of("host-0"))));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> hasOutput(id));

        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/runs/" + id + "/events"))
                .header("Authorization", "Bearer " + Auth.adminToken()).header("Accept", "text/event-stream").build();
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        List<JsonObject> messages = response.body().filter(l -> l.startsWith("data:"))
                .map(l -> new JsonObject(l.substring(5).strip())).toList();

        String stdout = messages.stream().filter(m -> "output".equals(m.getString("type")) && "stdout".equals(m.getString("stream")))
                .map(m -> m.getString("data")).reduce("", String::concat);
        assertThat(stdout).isEqualTo("line1\nline2\nline3\n");
        assertThat(messages).anyMatch(m -> "output".equals(m.getString("type")) && "stderr".equals(m.getString("stream"))
                && "fin\n".equals(m.getString("data")));
        assertThat(messages).anyMatch(m -> "done".equals(m.getString("type")) && m.getInteger("exit_code") == 0);
        assertThat(messages.get(messages.size() - 1).getMap()).isEqualTo(Map.of("type", "run_done", "status", "succeeded"));
    }

    private List<JsonObject> websocket(String path) throws Exception {
        return io.testum.testing.Sockets.messages(base, path, Auth.adminToken());
    }

    @Test
    void aWebSocketClientGetsReplayLiveOutputAndRunDoneThenAClose() throws Exception {
        String id = submit(run(SLOW, Map.of("platforms", List.of("host-0", "host-1"))));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> hasOutput(id));

        List<JsonObject> messages = websocket("/ws/runs/" + id);

        for (String platform : List.of("host-0", "host-1")) {
            String stdout = messages.stream().filter(m -> "output".equals(m.getString("type"))
                    && platform.equals(m.getString("platform")) && "stdout".equals(m.getString("stream")))
                    .map(m -> m.getString("data")).reduce("", String::concat);
            assertThat(stdout).isEqualTo("line1\nline2\nline3\n");
            assertThat(messages).anyMatch(m -> m.getMap().equals(Map.of("type", "status", "platform", platform,
                    "status", "running")));
            assertThat(messages).anyMatch(m -> m.getMap().equals(Map.of("type", "done", "platform", platform,
                    "exit_code", 0)));
        }
        assertThat(messages.get(messages.size() - 1).getMap()).isEqualTo(Map.of("type", "run_done", "status", "succeeded"));
    }

    @Test
    void runCommandAnswersATaskIdThatTheEarlierTaskSocketFollows() throws Exception {
        String taskId = post("/api/platforms/host-0/run_command", Map.of("command", "echo hello", "timeout", 30))
                .statusCode(200).extract().path("task_id");
        post("/api/platforms/nope/run_command", Map.of("command", "true")).statusCode(404);

        List<JsonObject> messages = websocket("/ws/tasks/" + taskId);

        assertThat(messages).extracting(m -> m.getString("type")).containsExactly("output", "done", "run_done");
        assertThat(messages.get(0).getString("data")).isEqualTo("hello\n");
        assertThat(messages.get(1).getInteger("exit_code")).isZero();
    }

    @Test
    void aWebSocketWithoutLoginIsRefused() throws Exception {
        String id = submit(run("true", Map.of("platforms", List.of("host-0"))));
        URI uri = URI.create(base.toString().replaceFirst("^http", "ws")).resolve("/ws/runs/" + id);
        CompletableFuture<WebSocket> socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(uri, new WebSocket.Listener() { });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> socket.get(10, TimeUnit.SECONDS))
                .rootCause().hasMessageContaining("401");
    }

    @Test
    void twoIndependentListenersBothHearANotification() throws Exception {
        RunSignals first = new RunSignals(vertx, databaseUrl, databaseUser, databasePassword);
        RunSignals second = new RunSignals(vertx, databaseUrl, databaseUser, databasePassword);
        first.start();
        second.start();
        try {
            String id = submit(run("true", Map.of("platforms", List.of("host-0"))));
            await().atMost(WAIT).until(() -> runView(id), RunTest::finished);
            UUID run = UUID.fromString(id);
            var heardByFirst = first.arm(run).await(Duration.ofSeconds(10)).subscribeAsCompletionStage();
            var heardBySecond = second.arm(run).await(Duration.ofSeconds(10)).subscribeAsCompletionStage();

            repository.append(run, List.of(RunEvent.output("host-0", "stdout", "late\n").withSeq(1000))).await().indefinitely();

            assertThat(heardByFirst.get(15, TimeUnit.SECONDS)).isTrue();
            assertThat(heardBySecond.get(15, TimeUnit.SECONDS)).isTrue();
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void twoWorkersClaimingAtOnceNeverTakeTheSameRun() throws Exception {
        worker.stop();
        try {
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                UUID id = UUID.randomUUID();
                repository.insert(id, "true", null, "test", 60, 5, null, List.of("host-0"), null).await().indefinitely();
                ids.add(id);
            }
            Set<UUID> claimedByA = Collections.synchronizedSet(new HashSet<>());
            Set<UUID> claimedByB = Collections.synchronizedSet(new HashSet<>());
            Thread a = Thread.ofPlatform().start(() -> claimAll("replica-a", claimedByA));
            Thread b = Thread.ofPlatform().start(() -> claimAll("replica-b", claimedByB));
            a.join();
            b.join();

            assertThat(claimedByA).doesNotContainAnyElementsOf(claimedByB);
            Set<UUID> union = new HashSet<>(claimedByA);
            union.addAll(claimedByB);
            assertThat(union).containsExactlyInAnyOrderElementsOf(ids);
        } finally {
            TestDatabase.reset();
            worker.start();
        }
    }

    private void claimAll(String owner, Set<UUID> claimed) {
        RunRepository.Claimed run;
        while ((run = repository.claim(owner, Duration.ofMinutes(1)).await().indefinitely()) != null) {
            claimed.add(run.id());
        }
    }

    @Test
    void twoWorkersExecutingTogetherRunEveryHostOfEveryRunOnce() throws Exception {
        RunWorker other = new RunWorker(repository, sessions, runsConfig, sshConfig, meters, databaseConfig, "replica-b", occurrences);
        other.start();
        try {
            for (SshFleet.Host host : fleet.hosts()) {
                Files.deleteIfExists(host.home().resolve("ran.log"));
            }
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                ids.add(submit(run("echo run-" + i + " >> ran.log", all())));
            }
            for (String id : ids) {
                assertThat(await().atMost(WAIT).until(() -> runView(id), RunTest::finished).getString("status")).isEqualTo("succeeded");
            }
            for (SshFleet.Host host : fleet.hosts()) {
                List<String> lines = Files.readAllLines(host.home().resolve("ran.log"));
                assertThat(lines).hasSize(12).doesNotHaveDuplicates();
            }
        } finally {
            other.stop();
        }
    }

    @Test
    void aRunWhoseReplicaDiedIsMarkedFailedWithTheReasonOnceItsClaimExpires() throws Exception {
        worker.stop();
        UUID id = UUID.randomUUID();
        try {
            repository.insert(id, "sleep 1", null, "test", 60, 5, null, List.of("host-0", "host-1"), null).await().indefinitely();
            assertThat(repository.claim("dead-replica", Duration.ofMillis(200)).await().indefinitely().id()).isEqualTo(id);
            repository.hostStarted(id, "host-0").await().indefinitely();
        } finally {
            worker.start();
        }
        JsonPath run = await().atMost(WAIT).until(() -> runView(id.toString()), RunTest::finished);

        assertThat(run.getString("status")).isEqualTo("failed");
        assertThat(run.getString("reason")).contains("dead-replica").contains("expired");
        assertThat(run.getList("results.status")).containsExactly("failed", "canceled");
        assertThat(repository.events(id, 0, 10).await().indefinitely()).last()
                .satisfies(e -> assertThat(e.message()).isEqualTo(Map.of("type", "run_done", "status", "failed")));
    }
}

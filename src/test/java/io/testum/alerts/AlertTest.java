package io.testum.alerts;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static io.testum.testing.Fixtures.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.testum.ssh.KeepAliveSwitch;
import io.testum.ssh.SshConnector;
import io.restassured.path.json.JsonPath;
import io.testum.testing.Auth;
import io.testum.testing.Fixtures;
import io.testum.testing.KeyGen;
import io.testum.testing.PostgresResource;
import io.testum.testing.SshFleet;
import io.testum.testing.TestDatabase;
import io.testum.testing.WithSshFleet;

/**
 * Alerts end to end: a real sshd host whose deployment fails and recovers, runs that fail, and a
 * webhook receiver on 127.0.0.1 that checks each signature and answers 500 to the first tries.
 * The test profile allows private targets (the receiver is on loopback) and retries after 300 ms.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithSshFleet(hosts = 1)
class AlertTest {

    private static final String SECRET = "a-webhook-secret-of-some-length";
    private static final Duration RETRY = Duration.ofMillis(300);

    private SshFleet fleet;
    private String testumKey;

    @Inject
    SshConnector connector;

    @AfterEach
    void keepAliveAgain() {
        KeepAliveSwitch.set(connector, true);
    }

    @BeforeEach
    void setUp() throws Exception {
        // A kept connection stays logged in after testum's key leaves the host (and repairs the file
        // over it): these tests need every deployment to log in anew, to see a login refused.
        KeepAliveSwitch.set(connector, false);
        TestDatabase.reset();
        Auth.asAdmin();
        testumKey = post("/api/credentials/generate", Map.of("name", "deployer")).statusCode(201).extract().path("public_key");
        SshFleet.Host host = fleet.host(0);
        host.writeAuthorizedKeys(testumKey + "\n");
        post("/api/platforms", Map.of("name", "web-01", "host", host.address(), "port", host.port(), "username", host.user(),
                "auth_method", "key", "credential", "deployer", "labels", Map.of("env", "prod"))).statusCode(201);
        Path alice = KeyGen.generate(Files.createTempDirectory("alerts"), "ed25519", 0, null, null, "alice@laptop");
        Fixtures.key("alice", KeyGen.publicLine(alice));
        post("/api/access", Map.of("name", "web", "keys", List.of("alice"), "platforms", List.of("web-01"))).statusCode(201);
        assertThat(deployStatus()).isEqualTo("in_sync");
    }

    private static String deployStatus() {
        return given().post("/api/platforms/web-01/deploy-keys").then().statusCode(200).extract().path("deployments[0].status");
    }

    private static Map<String, Object> webhook(String name, String url, List<String> events, Map<String, String> selector) {
        return Map.of("name", name, "type", "webhook", "url", url, "secret", SECRET, "events", events, "selector", selector);
    }

    /** The requests of distinct events (a retried delivery counts once), in arrival order. */
    private static List<String> eventIds(Receiver receiver) {
        return receiver.requests().stream().map(r -> r.header("X-Testum-Delivery")).distinct().toList();
    }

    @Test
    void aDeploymentThatKeepsFailingAlertsOnceSignedAndRetriedWithBackoffThenOnceWhenItRecovers() throws Exception {
        try (Receiver receiver = new Receiver(2)) {
            post("/api/alerts", webhook("ops", receiver.url("/hook/T0KEN-IN-PATH?key=QUERYTOKEN"),
                    List.of("deployment.failed", "deployment.recovered"), Map.of("env", "prod"))).statusCode(201)
                    .body("url", equalTo("http://127.0.0.1:" + receiver.url("").split(":")[2] + "/…"))
                    .body("secret_set", equalTo(true));

            fleet.host(0).writeAuthorizedKeys("");   // testum's key is gone: it can no longer log in
            for (int check = 0; check < 5; check++) {
                assertThat(deployStatus()).isEqualTo("failed");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requests().size() >= 3);
            Thread.sleep(RETRY.multipliedBy(4).toMillis());   // room for wrong extra sends to show up
            List<Receiver.Request> tries = receiver.requests();
            assertThat(tries).as("two 500s, then the 200").hasSize(3);
            assertThat(eventIds(receiver)).as("five failing checks are one state change").hasSize(1);
            assertThat(Duration.between(tries.get(0).at(), tries.get(1).at())).isGreaterThanOrEqualTo(RETRY);
            assertThat(Duration.between(tries.get(1).at(), tries.get(2).at())).as("exponential backoff")
                    .isGreaterThanOrEqualTo(RETRY.multipliedBy(2));
            for (Receiver.Request r : tries) {
                assertThat(r.path()).isEqualTo("/hook/T0KEN-IN-PATH?key=QUERYTOKEN");
                assertThat(r.header("Content-Type")).isEqualTo("application/json");
                assertThat(r.header("X-Testum-Signature")).isEqualTo("sha256=" + AlertSender.sign(SECRET, r.body()));
                assertThat(r.header("X-Testum-Event")).isEqualTo("deployment.failed");
                assertThat(Long.parseLong(r.header("X-Testum-Timestamp")))
                        .isEqualTo(Instant.parse(r.json().getString("sent_at")).getEpochSecond());
                assertThat(r.json().getString("id")).isEqualTo(r.header("X-Testum-Delivery"));
                assertThat(r.json().getString("subject")).isEqualTo("deployment:web-01:" + fleet.host(0).user());
                assertThat(r.json().getJsonArray("platforms").getList()).containsExactly("web-01");
            }
            assertThat(tries.get(2).json().getInteger("attempt")).isEqualTo(3);

            JsonPath log = given().get("/api/alerts/ops/deliveries").then().statusCode(200).extract().jsonPath();
            assertThat(log.getInt("total")).isEqualTo(1);
            assertThat(log.getString("items[0].event")).isEqualTo("deployment.failed");
            assertThat(log.getString("items[0].status")).isEqualTo("delivered");
            assertThat(log.getInt("items[0].attempts")).isEqualTo(3);
            assertThat(log.getInt("items[0].http_status")).isEqualTo(200);

            fleet.host(0).writeAuthorizedKeys(testumKey + "\n");
            assertThat(deployStatus()).isEqualTo("in_sync");
            assertThat(deployStatus()).isEqualTo("in_sync");
            await().atMost(Duration.ofSeconds(30)).until(() -> eventIds(receiver).size() == 2);
            Thread.sleep(RETRY.multipliedBy(3).toMillis());
            assertThat(receiver.requests()).hasSize(4);
            assertThat(receiver.requests().get(3).header("X-Testum-Event")).isEqualTo("deployment.recovered");
            assertThat(receiver.requests().get(3).json().getInteger("attempt")).isEqualTo(1);
        }
    }

    @Test
    void anAlertGetsOnlyItsEventsAndPlatformsAndSlackGetsATextBody() throws Exception {
        try (Receiver slack = new Receiver(0); Receiver staging = new Receiver(0)) {
            post("/api/alerts", Map.of("name", "chat", "type", "slack", "url", slack.url("/services/T000/B000/XXXX"),
                    "events", List.of("run.failed"))).statusCode(201).body("secret_set", equalTo(false));
            post("/api/alerts", webhook("staging-only", staging.url("/"), List.of("run.failed", "deployment.failed"),
                    Map.of("env", "staging"))).statusCode(201);

            String ok = post("/api/runs", Map.of("command", "true", "targets", Map.of("platforms", List.of("web-01"))))
                    .statusCode(202).extract().path("id");
            String bad = post("/api/runs", Map.of("command", "exit 3", "targets", Map.of("platforms", List.of("web-01"))))
                    .statusCode(202).extract().path("id");
            for (String id : List.of(ok, bad)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/api/runs/" + id).then().extract()
                        .path("finished_at") != null);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> slack.requests().size() == 1);
            Receiver.Request sent = slack.requests().get(0);
            assertThat(sent.json().fieldNames()).containsExactly("text");
            assertThat(sent.json().getString("text")).startsWith("testum: run.failed: Run " + bad).contains("web-01");
            assertThat(sent.header("X-Testum-Signature")).as("Slack is not signed").isNull();

            fleet.host(0).writeAuthorizedKeys("");
            assertThat(deployStatus()).isEqualTo("failed");
            Thread.sleep(RETRY.multipliedBy(4).toMillis());
            assertThat(staging.requests()).as("web-01 is env=prod").isEmpty();
            assertThat(slack.requests()).as("chat does not take deployment events").hasSize(1);
            fleet.host(0).writeAuthorizedKeys(testumKey + "\n");
        }
    }

    @Test
    void viewersAndOperatorsAreRefusedTheAlertsApiAndChangesAreAudited() {
        post("/api/alerts", webhook("audited", "https://hooks.example.org/testum", List.of("run.failed"), Map.of()))
                .statusCode(201);
        put("/api/alerts/audited", Map.of("type", "webhook", "events", List.of("run.failed", "source.stalled"))).statusCode(200)
                .body("events", hasItem("source.stalled")).body("secret_set", equalTo(true));
        for (String role : List.of("viewer", "operator")) {
            Auth.as(Auth.tokenOf("alerts-" + role, role));
            given().get("/api/alerts").then().statusCode(403);
            given().get("/api/alerts/audited").then().statusCode(403);
            given().get("/api/alerts/audited/deliveries").then().statusCode(403);
            post("/api/alerts", webhook("sneaky", "https://hooks.example.org/x", List.of("run.failed"), Map.of())).statusCode(403);
            put("/api/alerts/audited", Map.of("type", "webhook", "url", "https://evil.example.org/", "events", List.of("run.failed")))
                    .statusCode(403);
            given().delete("/api/alerts/audited").then().statusCode(403);
        }
        Auth.asAdmin();
        given().get("/api/alerts/sneaky").then().statusCode(404);
        given().get("/api/alerts/audited").then().statusCode(200).body("url", equalTo("https://hooks.example.org/…"));
        given().delete("/api/alerts/audited").then().statusCode(204);
        JsonPath audit = given().queryParam("target", "audited").get("/api/audit").then().statusCode(200).extract().jsonPath();
        assertThat(audit.getList("items.action")).contains("alert.create", "alert.update", "alert.delete");
        assertThat(audit.getList("items.outcome")).contains("denied");
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndStoresNothing() {
        given().contentType("application/json").body(Map.of("name", "bad", "type", "webhook", "url", "ftp://hooks.example.org/x",
                "secret", "short", "events", List.of("deployment.failed", "deployment.exploded"),
                "selector", Map.of("bad key!", "x")))
                .post("/api/alerts").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.hasItems("url", "secret", "events[1]", "selector.bad key!"));
        post("/api/alerts", Map.of("name", "nosecret", "type", "webhook", "url", "https://hooks.example.org/x",
                "events", List.of("run.failed"))).statusCode(400).body("errors.field", hasItem("secret"));
        post("/api/alerts", Map.of("name", "kind", "type", "email", "url", "https://hooks.example.org/x",
                "events", List.of())).statusCode(400).body("errors.field", org.hamcrest.Matchers.hasItems("type", "events"));
        given().get("/api/alerts").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void theSecretAndTheUrlsTokensNeverComeBackNorReachTheLog() throws Exception {
        String secret = "never-shown-secret-4f1c2a9b";
        try (Receiver receiver = new Receiver(1000)) {
            post("/api/alerts", Map.of("name", "quiet", "type", "webhook", "url", receiver.url("/p/PATHTOKEN-77?sig=QUERYTOKEN-77"),
                    "secret", secret, "events", List.of("run.failed"))).statusCode(201);
            String run = post("/api/runs", Map.of("command", "exit 1", "targets", Map.of("platforms", List.of("web-01"))))
                    .statusCode(202).extract().path("id");
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.requests().size() >= 2);
            String answers = given().get("/api/alerts").then().statusCode(200).extract().asString()
                    + given().get("/api/alerts/quiet").then().statusCode(200).extract().asString()
                    + given().get("/api/alerts/quiet/deliveries").then().statusCode(200).extract().asString()
                    + given().get("/api/audit").then().statusCode(200).extract().asString();
            assertThat(answers).contains("HTTP 500").contains(run.substring(0, 8));
            String log = Files.readString(Path.of("target", "testum-test.log"));
            for (String text : List.of(answers, log)) {
                assertThat(text).doesNotContain(secret).doesNotContain("PATHTOKEN-77").doesNotContain("QUERYTOKEN-77");
            }
        }
    }
}

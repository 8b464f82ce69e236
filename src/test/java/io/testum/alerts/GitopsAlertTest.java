package io.testum.alerts;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.testum.testing.Auth;
import io.testum.testing.GitRepo;
import io.testum.testing.GitRepoResource;
import io.testum.testing.PostgresResource;
import io.testum.testing.TestDatabase;

/**
 * Alerts declared in the {@code alerts:} section of a GitOps document (SPEC §3): validated with the
 * rest of the document at file:line:column, applied in the same transaction, pruned when they leave
 * Git, and read-only through the API except for what Git never holds: a webhook's signing secret,
 * and the URL when the document leaves it out. An alert that lacks either sends nothing. Deliveries
 * go to a receiver on 127.0.0.1 (the test profile allows private targets).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(GitRepoResource.class)
class GitopsAlertTest {

    private static final String SECRET = "a-signing-secret-from-the-api";

    private GitRepo repo;

    @Inject
    AlertDispatcher dispatcher;

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        Auth.asAdmin();
        post("/api/gitops/sources", Map.of("name", "ops", "url", repo.url(), "branch", "main")).statusCode(201);
    }

    private static ValidatableResponse sync() {
        return given().post("/api/gitops/sources/ops/sync?wait=true").then().statusCode(200);
    }

    private static String document(String alerts) {
        return "version: 1\nalerts:\n" + alerts;
    }

    private static String alert(String name, String type, String url, String more) {
        return "  - name: " + name + "\n"
                + "    type: " + type + "\n"
                + (url == null ? "" : "    url: " + url + "\n")
                + "    events: [run.failed]\n"
                + more;
    }

    private int runFailed(String id) {
        return dispatcher.dispatch(Occurrence.of(AlertEvent.RUN_FAILED, "run:" + id, List.of(), "Run " + id + " failed", Map.of()));
    }

    private static List<String> errors(JsonPath stalled) {
        return stalled.<Map<String, Object>>getList("errors").stream()
                .map(e -> e.get("file") + ":" + e.get("line") + ": " + e.get("message")).toList();
    }

    @Test
    void aWebhookDeclaredInGitWaitsForItsSecretFromTheApiThenSendsSignedAndIsOtherwiseReadOnly() throws Exception {
        try (Receiver receiver = new Receiver(0)) {
            String revision = repo.commit("testum.yaml", document(alert("ops-channel", "webhook",
                    receiver.url("/hook/PATH-TOKEN"), "")), "an alert");
            sync().body("result", equalTo("applied")).body("plan.alert.created", equalTo(List.of("ops-channel")));

            JsonPath stored = given().get("/api/alerts/ops-channel").then().statusCode(200).extract().jsonPath();
            assertThat(stored.getString("source")).isEqualTo("ops");
            assertThat(stored.getString("url")).as("shown without its path").endsWith("/…").doesNotContain("PATH-TOKEN");
            assertThat(stored.getList("waiting_for")).containsExactly("secret");
            assertThat(runFailed("before-the-secret")).as("an alert without its secret sends nothing").isZero();

            given().contentType(ContentType.JSON).body(Map.of("events", List.of("deployment.failed")))
                    .put("/api/alerts/ops-channel").then().statusCode(409)
                    .body("detail", containsString("GitOps source 'ops'")).body("detail", containsString(revision));
            given().contentType(ContentType.JSON).body(Map.of("url", receiver.url("/elsewhere")))
                    .put("/api/alerts/ops-channel").then().statusCode(409).body("detail", containsString("signing secret"));
            given().delete("/api/alerts/ops-channel").then().statusCode(409).body("detail", containsString("change it in Git"));
            given().contentType(ContentType.JSON).body(Map.of("secret", "short")).put("/api/alerts/ops-channel").then()
                    .statusCode(400).body(containsString("secret"));

            given().contentType(ContentType.JSON).body(Map.of("secret", SECRET)).put("/api/alerts/ops-channel").then()
                    .statusCode(200).body("secret_set", equalTo(true)).body("waiting_for", equalTo(List.of()))
                    .body("source", equalTo("ops"));
            assertThat(runFailed("after-the-secret")).isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requests().size() == 1);
            Receiver.Request sent = receiver.requests().get(0);
            assertThat(sent.path()).isEqualTo("/hook/PATH-TOKEN");
            assertThat(sent.header("X-Testum-Signature")).isEqualTo("sha256=" + AlertSender.sign(SECRET, sent.body()));
            assertThat(sent.json().getString("subject")).isEqualTo("run:after-the-secret");

            sync().body("result", equalTo("applied")).body("plan.alert.unchanged", equalTo(1));
            repo.commit("testum.yaml", document(alert("ops-channel", "webhook", receiver.url("/hook/PATH-TOKEN"),
                    "    selector: {env: prod}\n")), "only prod");
            sync().body("result", equalTo("applied")).body("plan.alert.updated", equalTo(List.of("ops-channel")));
            given().get("/api/alerts/ops-channel").then().statusCode(200).body("selector.env", equalTo("prod"))
                    .body("secret_set", equalTo(true)).body("waiting_for", equalTo(List.of()));
        }
    }

    @Test
    void aSlackAlertWithoutAUrlInGitTakesItFromTheApiKeepsItAcrossChangesAndIsPrunedWhenItLeavesGit() throws Exception {
        try (Receiver slack = new Receiver(0)) {
            repo.commit("testum.yaml", document(alert("chat", "slack", null, "") + alert("other", "slack", null, "")), "two");
            sync().body("result", equalTo("applied")).body("plan.alert.created", equalTo(List.of("chat", "other")));
            given().get("/api/alerts/chat").then().statusCode(200).body("waiting_for", equalTo(List.of("url")));
            given().contentType(ContentType.JSON).body(Map.of("secret", SECRET)).put("/api/alerts/chat").then().statusCode(400)
                    .body(containsString("not signed"));

            given().contentType(ContentType.JSON).body(Map.of("url", slack.url("/services/T0/B0/SLACKTOKEN")))
                    .put("/api/alerts/chat").then().statusCode(200).body("waiting_for", equalTo(List.of()));
            repo.commit("testum.yaml", document(alert("chat", "slack", null, "    enabled: true\n    selector: {env: prod}\n")),
                    "one, changed");
            sync().body("result", equalTo("applied")).body("plan.alert.updated", equalTo(List.of("chat")))
                    .body("plan.alert.deleted", equalTo(List.of("other")));
            given().get("/api/alerts/other").then().statusCode(404);
            given().get("/api/alerts/chat").then().statusCode(200).body("waiting_for", equalTo(List.of()))
                    .body("selector.env", equalTo("prod"));

            assertThat(runFailed("slack")).isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> slack.requests().size() == 1);
            assertThat(slack.requests().get(0).path()).isEqualTo("/services/T0/B0/SLACKTOKEN");
        }
    }

    @Test
    void anAlertThatCannotBeReadStallsTheSourceAtItsLineNeverEchoesASecretAndChangesNothing() {
        post("/api/alerts", Map.of("name", "by-hand", "type", "slack", "url", "https://chat.example.org/hooks/X",
                "events", List.of("run.failed"))).statusCode(201);
        repo.commit("testum.yaml", document(
                alert("good", "webhook", "https://hooks.example.org/a", "")                          // lines 3-6
                        + alert("signed", "webhook", "https://hooks.example.org/b",
                                "    secret: s3cret-in-the-clear-value\n")                        // lines 7-11
                        + "  - name: odd\n    type: pager\n    events: [run.failed, run.exploded]\n"), "bad"); // lines 12-14
        List<String> unread = errors(sync().body("result", equalTo("stalled")).body("reason", equalTo("ValidationFailed"))
                .extract().jsonPath());
        assertThat(unread).anySatisfy(e -> assertThat(e).startsWith("testum.yaml:11: ").contains("secret")
                .contains("PUT /api/alerts/{name}"))
                .anySatisfy(e -> assertThat(e).startsWith("testum.yaml:13: ").contains("type").contains("webhook or slack"))
                .anySatisfy(e -> assertThat(e).startsWith("testum.yaml:14: ").contains("run.exploded"));
        assertThat(String.join("\n", unread)).doesNotContain("s3cret-in-the-clear-value");

        repo.commit("testum.yaml", document(
                alert("good", "webhook", "https://hooks.example.org/a", "")                          // lines 3-6
                        + alert("by-hand", "slack", null, "")                                         // lines 7-9
                        + alert("ftp", "webhook", "ftp://files.example.org/drop", "")), "unfit");   // lines 10-13
        List<String> unfit = errors(sync().body("result", equalTo("stalled")).body("reason", equalTo("ValidationFailed"))
                .extract().jsonPath());
        assertThat(unfit).anySatisfy(e -> assertThat(e).startsWith("testum.yaml:7: ").contains("by-hand")
                .contains("created through the API"))
                .anySatisfy(e -> assertThat(e).startsWith("testum.yaml:12: ").contains("url").contains("http or https"));
        assertThat(String.join("\n", unfit)).doesNotContain("files.example.org/drop");
        given().get("/api/alerts/good").then().statusCode(404);
        given().get("/api/alerts/by-hand").then().statusCode(200).body("source", equalTo("api"));
    }
}

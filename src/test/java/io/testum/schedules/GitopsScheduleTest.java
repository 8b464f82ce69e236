package io.testum.schedules;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.time.Instant;
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
import io.testum.testing.SshFleet;
import io.testum.testing.TestDatabase;
import io.testum.testing.WithSshFleet;

/**
 * Schedules declared in the {@code schedules:} section of a GitOps document (SPEC §3): validated
 * with the rest of the document at file:line:column, applied in the same transaction, read-only
 * through the API, pruned when they leave Git, and fired like any other, here on a real sshd host
 * with the clock in the test's hands ({@link ScheduleFirer#tick}).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(GitRepoResource.class)
@WithSshFleet(hosts = 1)
class GitopsScheduleTest {

    private static final String LEAP_DAY = "0 0 29 2 *";

    private SshFleet fleet;
    private GitRepo repo;

    @Inject
    ScheduleFirer firer;

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        Auth.asAdmin();
        String key = post("/api/credentials/generate", Map.of("name", "runner")).statusCode(201).extract().path("public_key");
        SshFleet.Host host = fleet.host(0);
        host.writeAuthorizedKeys(key + "\n");
        post("/api/platforms", Map.of("name", "host-0", "host", host.address(), "port", host.port(), "username", host.user(),
                "auth_method", "key", "credential", "runner", "labels", Map.of("tier", "web"))).statusCode(201);
        post("/api/gitops/sources", Map.of("name", "ops", "url", repo.url(), "branch", "main")).statusCode(201);
    }

    private static ValidatableResponse sync() {
        return given().post("/api/gitops/sources/ops/sync?wait=true").then().statusCode(200);
    }

    private static String schedule(String name, String cron, String more) {
        return "  - name: " + name + "\n"
                + "    cron: \"" + cron + "\"\n"
                + "    command: echo fired-" + name + "\n"
                + "    targets: {platforms: [host-0]}\n"
                + more;
    }

    private static String document(String schedules) {
        return "version: 1\nschedules:\n" + schedules;
    }

    @Test
    void aScheduleDeclaredInGitIsAppliedFiresOnTheHostAndIsReadOnlyThroughTheApi() {
        String revision = repo.commit("testum.yaml", document(schedule("nightly", LEAP_DAY,
                "    timezone: Europe/Berlin\n    misfire: run-once\n    timeout_seconds: 30\n")), "a schedule");
        sync().body("result", equalTo("applied")).body("plan.schedule.created", equalTo(List.of("nightly")));

        JsonPath stored = given().get("/api/schedules/nightly").then().statusCode(200).extract().jsonPath();
        assertThat(stored.getString("source")).isEqualTo("ops");
        assertThat(stored.getString("timezone")).isEqualTo("Europe/Berlin");
        assertThat(stored.getString("misfire")).isEqualTo("run-once");
        assertThat(stored.getList("env")).isEmpty();

        given().contentType(ContentType.JSON).body(Map.of("cron", "*/5 * * * *", "command", "true",
                "targets", Map.of("platforms", List.of("host-0")))).put("/api/schedules/nightly").then().statusCode(409)
                .body("detail", containsString("GitOps source 'ops'")).body("detail", containsString(revision));
        given().delete("/api/schedules/nightly").then().statusCode(409).body("detail", containsString("change it in Git"));

        Instant due = Instant.parse(stored.getString("next_fire_at"));
        assertThat(firer.tick(due.plusSeconds(1))).isEqualTo(1);
        String id = given().get("/api/schedules/nightly/runs").then().statusCode(200).extract().path("items[0].id");
        JsonPath run = await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/api/runs/" + id).then().extract()
                .jsonPath(), r -> r.getString("finished_at") != null);
        assertThat(run.getString("status")).isEqualTo("succeeded");
        assertThat(run.getString("results[0].stdout")).isEqualTo("fired-nightly\n");

        sync().body("result", equalTo("applied")).body("plan.schedule.unchanged", equalTo(1));
        assertThat(given().get("/api/schedules/nightly").then().extract().jsonPath().getString("last_fired_at"))
                .as("an unchanged schedule keeps its history").isEqualTo(due.toString());
    }

    @Test
    void aChangedScheduleIsUpdatedAndOneThatLeftGitIsPruned() {
        repo.commit("testum.yaml", document(schedule("nightly", LEAP_DAY, "") + schedule("often", "*/5 * * * *", "")), "two");
        sync().body("plan.schedule.created", equalTo(List.of("nightly", "often")));

        repo.commit("testum.yaml", document(schedule("nightly", "0 4 * * *", "")), "one, changed");
        sync().body("result", equalTo("applied"))
                .body("plan.schedule.updated", equalTo(List.of("nightly")))
                .body("plan.schedule.deleted", equalTo(List.of("often")));
        given().get("/api/schedules/nightly").then().statusCode(200).body("cron", equalTo("0 4 * * *"));
        given().get("/api/schedules/often").then().statusCode(404);
        given().get("/api/schedules").then().body("name", not(hasItem("often")));
    }

    @Test
    void aScheduleThatCannotBeReadStallsTheSourceAtItsLineAndNeverEchoesAnEnvironmentValue() {
        repo.commit("testum.yaml", document(
                schedule("good", LEAP_DAY, "")                                       // lines 3-6
                        + schedule("bad-cron", "61 * * * *", "")                       // lines 7-10
                        + schedule("secretive", LEAP_DAY, "    env: {TOKEN: s3cret}\n") // lines 11-15
                        + schedule("lost", LEAP_DAY, "    timezone: Mars/Olympus\n")), "bad"); // lines 16-20
        JsonPath stalled = sync().body("result", equalTo("stalled")).body("reason", equalTo("ValidationFailed"))
                .extract().jsonPath();
        List<String> errors = stalled.<Map<String, Object>>getList("errors").stream()
                .map(e -> e.get("file") + ":" + e.get("line") + ": " + e.get("message")).toList();
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("testum.yaml:8: ").contains("bad-cron").contains("cron"))
                .anySatisfy(e -> assertThat(e).startsWith("testum.yaml:15: ").contains("env").contains("POST /api/schedules"))
                .anySatisfy(e -> assertThat(e).startsWith("testum.yaml:20: ").contains("timezone").contains("Mars/Olympus"));
        assertThat(String.join("\n", errors)).doesNotContain("s3cret");
        given().get("/api/schedules/good").then().statusCode(404);
    }

    @Test
    void aScheduleNamingAnUnknownPlatformClashingWithTheApiOrBeyondTheLimitsChangesNothing() {
        post("/api/schedules", Map.of("name", "by-hand", "cron", LEAP_DAY, "command", "true",
                "targets", Map.of("platforms", List.of("host-0")))).statusCode(201);
        repo.commit("testum.yaml", document(
                schedule("good", LEAP_DAY, "")                                       // lines 3-6
                        + "  - name: nowhere\n    cron: \"0 3 * * *\"\n    command: \"true\"\n"
                        + "    targets: {platforms: [host-0, ghost]}\n"              // lines 7-10
                        + schedule("by-hand", LEAP_DAY, "")                            // lines 11-14
                        + schedule("slow", LEAP_DAY, "    timeout_seconds: 999999999\n")), "bad"); // lines 15-19
        JsonPath stalled = sync().body("result", equalTo("stalled")).body("reason", equalTo("ValidationFailed"))
                .extract().jsonPath();
        List<String> errors = stalled.<Map<String, Object>>getList("errors").stream()
                .map(e -> e.get("file") + ":" + e.get("line") + ": " + e.get("message")).toList();
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("testum.yaml:10: ").contains("ghost"))
                .anySatisfy(e -> assertThat(e).startsWith("testum.yaml:11: ").contains("by-hand").contains("created through the API"))
                .anySatisfy(e -> assertThat(e).startsWith("testum.yaml:19: ").contains("timeout_seconds"));
        given().get("/api/schedules/good").then().statusCode(404);
        given().get("/api/schedules/by-hand").then().statusCode(200).body("source", equalTo("api"))
                .body("command", equalTo("true"));
    }
}

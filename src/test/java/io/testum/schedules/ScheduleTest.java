package io.testum.schedules;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.testum.testing.Auth;
import io.testum.testing.PostgresResource;
import io.testum.testing.SshFleet;
import io.testum.testing.TestDatabase;
import io.testum.testing.WithSshFleet;

/**
 * Schedules on a real sshd host, with the clock in the test's hands: {@link ScheduleFirer#tick}
 * is called with the time the test chooses. The crons used fire only on 29 February or every
 * five minutes, and the test moves "now" onto and past their due times.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithSshFleet(hosts = 1)
class ScheduleTest {

    private static final String LEAP_DAY = "0 0 29 2 *";

    private SshFleet fleet;

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
    }

    private static Map<String, Object> schedule(String name, String cron, Object... more) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "cron", cron, "command", "echo fired-" + name,
                "targets", Map.of("selector", Map.of("tier", "web"))));
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    private static Instant nextFire(String name) {
        return Instant.parse(given().get("/api/schedules/" + name).then().statusCode(200).extract().path("next_fire_at"));
    }

    private static JsonPath runs(String name) {
        return given().get("/api/schedules/" + name + "/runs").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aScheduleFiresOncePerDueTimeEvenWhenLookedAtTwiceOrAfterARestartLostItsProgress() throws Exception {
        post("/api/schedules", schedule("leap", LEAP_DAY, "timezone", "Europe/Berlin")).statusCode(201)
                .body("source", org.hamcrest.Matchers.equalTo("api")).body("misfire", org.hamcrest.Matchers.equalTo("skip"));
        Instant due = nextFire("leap");
        assertThat(due.atZone(java.time.ZoneId.of("Europe/Berlin")).toLocalDateTime().toString()).endsWith("-02-29T00:00");

        assertThat(firer.tick(due.minusSeconds(1))).as("not due yet").isZero();
        assertThat(firer.tick(due.plusSeconds(1))).isEqualTo(1);
        assertThat(firer.tick(due.plusSeconds(2))).as("the same due time again").isZero();
        assertThat(nextFire("leap")).isAfter(due.plus(Duration.ofDays(365)));

        // A replica that fired and died before moving the schedule on: the due time is back, the run is there.
        try (var c = TestDatabase.connect(); var q = c.prepareStatement("UPDATE schedules SET next_fire_at = ? WHERE name = 'leap'")) {
            q.setObject(1, due.atOffset(java.time.ZoneOffset.UTC));
            q.executeUpdate();
        }
        assertThat(firer.tick(due.plusSeconds(3))).as("the database refuses a second run for that due time").isZero();
        assertThat(nextFire("leap")).isAfter(due);

        JsonPath runs = runs("leap");
        assertThat(runs.getInt("total")).isEqualTo(1);
        assertThat(runs.getString("items[0].requested_by")).isEqualTo("schedule:leap");
        String id = runs.getString("items[0].id");
        JsonPath run = await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/api/runs/" + id).then().extract()
                .jsonPath(), r -> r.getString("finished_at") != null);
        assertThat(run.getString("status")).isEqualTo("succeeded");
        assertThat(run.getString("results[0].stdout")).isEqualTo("fired-leap\n");
        assertThat(given().get("/api/schedules/leap").then().extract().jsonPath().getString("last_fired_at"))
                .isEqualTo(due.toString());
    }

    @Test
    void aFiringMissedWhileNoLeaderRanIsSkippedOrRunOnceAsConfigured() {
        post("/api/schedules", schedule("skipper", "*/5 * * * *")).statusCode(201);
        post("/api/schedules", schedule("catcher", "*/5 * * * *", "misfire", "run-once")).statusCode(201);
        Instant due = nextFire("skipper");
        Instant anHourLate = due.plus(Duration.ofHours(1)).plusSeconds(30);

        assertThat(firer.tick(anHourLate)).as("twelve firings missed: catcher runs once, skipper not").isEqualTo(1);
        assertThat(runs("skipper").getInt("total")).isZero();
        assertThat(runs("catcher").getInt("total")).isEqualTo(1);
        assertThat(given().get("/api/schedules/catcher").then().extract().jsonPath().getString("last_fired_at"))
                .as("for the latest missed due time").isEqualTo(due.plus(Duration.ofHours(1)).toString());
        assertThat(nextFire("skipper")).isAfter(anHourLate);
        assertThat(firer.tick(anHourLate.plusSeconds(1))).isZero();
    }

    @Test
    void aScriptScheduleRunsWithItsEnvironmentWhichIsNeverShownAndSurvivesAnUpdateWithoutIt() {
        post("/api/schedules", schedule("nightly", LEAP_DAY, "command", null, "script", "echo \"${#TOKEN}\"",
                "interpreter", "sh", "env", Map.of("TOKEN", "topsecret-1"))).statusCode(201)
                .body("env", org.hamcrest.Matchers.equalTo(List.of("TOKEN")));
        given().contentType("application/json").body(schedule("nightly", LEAP_DAY, "command", null, "script",
                "echo \"len:${#TOKEN}\"", "interpreter", "sh")).put("/api/schedules/nightly").then().statusCode(200);
        assertThat(given().get("/api/schedules/nightly").asString() + given().get("/api/schedules").asString())
                .doesNotContain("topsecret");

        assertThat(firer.tick(nextFire("nightly").plusSeconds(1))).isEqualTo(1);
        String id = runs("nightly").getString("items[0].id");
        JsonPath run = await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/api/runs/" + id).then().extract()
                .jsonPath(), r -> r.getString("finished_at") != null);
        assertThat(run.getString("results[0].stdout")).isEqualTo("len:11\n");
    }

    @Test
    void aFiringWhoseTargetsAreGoneStartsNoRunAndSaysWhy() {
        post("/api/schedules", schedule("orphan", LEAP_DAY, "targets", Map.of("platforms", List.of("host-9")))).statusCode(201);
        assertThat(firer.tick(nextFire("orphan").plusSeconds(1))).isZero();
        assertThat(given().get("/api/schedules/orphan").then().extract().jsonPath().getString("last_error")).contains("host-9");
    }

    @Test
    void badSchedulesAreRefusedNamingTheFieldAndChangeNothing() {
        post("/api/schedules", schedule("bad", "61 * * * *")).statusCode(400).body("errors.field", hasItem("cron"));
        post("/api/schedules", schedule("bad", "* * * *")).statusCode(400).body("errors.field", hasItem("cron"));
        post("/api/schedules", schedule("bad", "0 3 * * * *")).statusCode(400).body("errors.field", hasItem("cron"));
        post("/api/schedules", schedule("bad", LEAP_DAY, "timezone", "Mars/Olympus")).statusCode(400)
                .body("errors.field", hasItem("timezone"));
        post("/api/schedules", schedule("bad", LEAP_DAY, "misfire", "sometimes")).statusCode(400)
                .body("errors.field", hasItem("misfire"));
        post("/api/schedules", schedule("bad", LEAP_DAY, "targets", Map.of())).statusCode(400)
                .body("errors.field", hasItem("targets"));
        post("/api/schedules", schedule("bad name!", LEAP_DAY)).statusCode(400).body("errors.field", hasItem("name"));
        post("/api/schedules", schedule("twice", LEAP_DAY)).statusCode(201);
        post("/api/schedules", schedule("twice", LEAP_DAY)).statusCode(409);
        given().get("/api/schedules").then().statusCode(200).body("name", org.hamcrest.Matchers.equalTo(List.of("twice")));

        Auth.as(Auth.tokenOf("schedule-viewer", "viewer"));
        given().get("/api/schedules/twice").then().statusCode(200);
        post("/api/schedules", schedule("viewer", LEAP_DAY)).statusCode(403);
        given().delete("/api/schedules/twice").then().statusCode(403);
    }
}

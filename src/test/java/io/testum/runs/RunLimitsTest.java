package io.testum.runs;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.testum.testing.Auth;
import io.testum.testing.Fixtures;
import io.testum.testing.PostgresResource;
import io.testum.testing.TestDatabase;

/**
 * What bounds the memory one request can take: a cap on a run's targets, host results in pages,
 * groups computed in the database. Runs are written straight into the database: no host is needed.
 */
@QuarkusTest
@TestProfile(RunLimitsTest.Profile.class)
@WithTestResource(PostgresResource.class)
public class RunLimitsTest {

    /** Three targets at most; shared with the retention test, so both run on one service start. */
    public static final class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // RetentionTest shares this profile: it prunes access history older than 400 days.
            return Map.of("testum.runs.max-targets", "3", "testum.retention.access-history", "400d");
        }
    }

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        Auth.asAdmin();
    }

    /** A finished run of {@code hosts} hosts; host i prints {@code outputs[i % outputs.length]}. */
    public static UUID insertRun(int hosts, String... outputs) throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection c = TestDatabase.connect()) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO runs (id, command, status, requested_by, timeout_seconds, "
                    + "concurrency, started_at, finished_at) VALUES (?, 'uptime', 'succeeded', 'admin', 60, 50, now(), now())")) {
                s.setObject(1, id);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO run_hosts (run_id, position, platform, status, exit_code, "
                    + "started_at, finished_at, stdout) VALUES (?, ?, ?, 'succeeded', 0, now(), now(), ?)")) {
                for (int i = 0; i < hosts; i++) {
                    s.setObject(1, id);
                    s.setInt(2, i);
                    s.setString(3, String.format("host-%03d", i));
                    s.setBytes(4, outputs[i % outputs.length].getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
        return id;
    }

    @Test
    void refusesARunWithMoreTargetsThanTheCap() {
        Fixtures.credential("deployer");
        for (int i = 0; i < 4; i++) {
            Fixtures.platform("web-0" + i, Map.of("role", "web"));
        }
        post("/api/runs", Map.of("command", "uptime", "targets", Map.of("selector", Map.of("role", "web")))).statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("targets"))
                .body("errors[0].message", containsString("resolve to 4 platforms; a run may target at most 3"));
        given().get("/api/runs").then().body("total", equalTo(0));
    }

    @Test
    void pagesTheHostResultsOfARun() throws Exception {
        UUID id = insertRun(5, "one\n", "two\n");
        JsonPath page = given().queryParam("page", 1).queryParam("size", 2).get("/api/runs/" + id).then().statusCode(200)
                .contentType("application/json").extract().jsonPath();
        assertEquals(List.of("host-002", "host-003"), page.getList("results.platform"));
        assertEquals(List.of("one\n", "two\n"), page.getList("results.stdout"));
        assertEquals(5, page.getInt("results_total"));
        assertEquals(1, page.getInt("results_page"));
        assertEquals(2, page.getInt("results_size"));
        assertEquals(5, page.getList("targets").size());
        assertEquals("succeeded", page.getString("status"));

        JsonPath first = given().get("/api/runs/" + id).then().statusCode(200).extract().jsonPath();
        assertEquals(5, first.getList("results").size(), "the default page (100) holds them all");
        assertEquals(100, first.getInt("results_size"));
        assertEquals(List.of(), given().queryParam("page", 3).queryParam("size", 2).get("/api/runs/" + id).then()
                .statusCode(200).extract().jsonPath().getList("results"));
        given().queryParam("size", 1001).get("/api/runs/" + id).then().statusCode(400).body("errors[0].field", equalTo("size"));
        given().queryParam("size", 0).get("/api/runs/" + id).then().statusCode(400);
        given().get("/api/runs/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void groupsHostsByIdenticalOutputInTheDatabase() throws Exception {
        String big = "x".repeat(300_000) + "\n";
        UUID id = insertRun(7, big, "two\n", big);
        JsonPath groups = given().get("/api/runs/" + id + "/groups").then().statusCode(200).contentType("application/json")
                .extract().jsonPath();
        assertEquals(2, groups.getList("$").size());
        assertEquals(List.of("host-000", "host-002", "host-003", "host-005", "host-006"), groups.getList("[0].platforms"));
        assertEquals(big, groups.getString("[0].stdout"));
        assertEquals(List.of("host-001", "host-004"), groups.getList("[1].platforms"));
        assertEquals("two\n", groups.getString("[1].stdout"));
        given().get("/api/runs/" + UUID.randomUUID() + "/groups").then().statusCode(404);
    }

    @Test
    void theRunPageShowsOnePageOfHostsAndAPreviewOfEachOutput() throws Exception {
        String[] outputs = new String[25];
        for (int i = 0; i < outputs.length; i++) {
            outputs[i] = "out-" + i + "-" + "y".repeat(100_000);
        }
        UUID id = insertRun(60, outputs);
        String page = given().cookie("testum_access", Auth.adminToken()).get("/runs/" + id).then().statusCode(200)
                .extract().asString();
        assertTrue(page.contains("data-host=\"host-049\""), "the first 50 hosts are on the first page");
        assertFalse(page.contains("data-host=\"host-050\""), "host 51 and later are on the next page");
        assertTrue(page.contains("?page=1"), "a link leads to the next page");
        assertTrue(page.contains("y".repeat(60_000)), "outputs are shown");
        assertFalse(page.contains("y".repeat(70_000)), "but no output beyond its preview of 64 KiB");
        assertEquals(10 * 3 + 10 * 2, page.split("href=\"/platforms/host-", -1).length - 1,
                "20 groups are shown (10 of 3 hosts, 10 of 2), not all 25");
        assertTrue(page.contains("More groups follow"), "and the page says that more exist");
        assertTrue(page.length() < 6_000_000, "60 hosts with 100 kB each, 25 groups: " + page.length() + " characters");

        String second = given().cookie("testum_access", Auth.adminToken()).queryParam("page", 1).get("/runs/" + id).then()
                .statusCode(200).extract().asString();
        assertTrue(second.contains("data-host=\"host-059\""));
        assertFalse(second.contains("data-host=\"host-049\""));
    }
}

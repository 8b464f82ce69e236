package io.testum.stats;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.testum.cluster.Leadership;
import io.testum.testing.Auth;
import io.testum.testing.Fixtures;
import io.testum.testing.PostgresResource;
import io.testum.testing.SshFleet;
import io.testum.testing.TestDatabase;
import io.testum.testing.WithSshFleet;

/** The reachability check on a real sshd host and on a closed port, and what the platform API shows of it. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithSshFleet
class ReachabilityTest {

    private SshFleet fleet;
    private static int closedPort;

    @Inject
    ReachabilityService reachability;

    @BeforeAll
    static void findAClosedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
    }

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        Auth.asAdmin();
        Fixtures.credential("deployer");
        HostStatsTest.platform("web-01", fleet.host(0));
        post("/api/platforms", Map.of("name", "down-01", "host", "127.0.0.1", "port", closedPort, "username", "nobody",
                "auth_method", "key", "credential", "deployer")).statusCode(201);
    }

    private static JsonPath platform(String name) {
        return given().get("/api/platforms/" + name).then().statusCode(200).extract().jsonPath();
    }

    private static List<String> row(String name) {
        return TestDatabase.rows("SELECT reachability, reachability_error, reachability_checked_at, updated_at, version "
                + "FROM platforms WHERE name = ?", name).get(0);
    }

    @Test
    void aNewPlatformIsUnknownUntilChecked() {
        given().get("/api/platforms/web-01").then().statusCode(200)
                .body("reachability", equalTo("unknown"))
                .body("last_seen_at", nullValue())
                .body("latency_ms", nullValue());
    }

    @Test
    void marksAnSshHostReachableWithLatencyAndLastSeen() {
        long started = System.nanoTime();
        assertEquals(2, reachability.checkAll());
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        JsonPath web = platform("web-01");
        assertEquals("reachable", web.getString("reachability"));
        assertNotNull(web.getString("last_seen_at"));
        assertThat(web.getInt("latency_ms")).as("the connect and banner time, within the check's own duration")
                .isBetween(0, (int) elapsedMs);
        assertEquals("reachable", row("web-01").get(0));
        assertEquals(String.valueOf(web.getInt("latency_ms")),
                TestDatabase.rows("SELECT latency_ms FROM platforms WHERE name = 'web-01'").get(0).get(0));
        assertNull(row("web-01").get(1), "no error");
    }

    @Test
    void marksAClosedPortUnreachableWithTheReason() {
        reachability.checkAll();

        JsonPath down = platform("down-01");
        assertEquals("unreachable", down.getString("reachability"));
        assertNull(down.get("last_seen_at"));
        assertNull(down.get("latency_ms"));
        assertEquals("127.0.0.1:" + closedPort + " refused the connection (nothing listens on port " + closedPort + ")",
                row("down-01").get(1));
        assertNotNull(row("down-01").get(2), "checked_at is recorded");
    }

    @Test
    void aHostThatGoesDownKeepsItsLastSeenTime() {
        reachability.checkAll();
        String seen = platform("web-01").getString("last_seen_at");
        fleet.host(0).stop();
        try {
            reachability.checkAll();
        } finally {
            fleet.host(0).start();
        }
        JsonPath web = platform("web-01");
        assertEquals("unreachable", web.getString("reachability"));
        assertEquals(seen, web.getString("last_seen_at"));
        assertNull(web.get("latency_ms"));
    }

    @Test
    void aCheckIsNotAnEditAndAnEditDoesNotClobberTheCheck() {
        List<String> before = row("web-01");
        reachability.checkAll();
        List<String> after = row("web-01");
        assertEquals(before.subList(3, 5), after.subList(3, 5), "updated_at and version are untouched by a check");

        JsonPath checked = platform("web-01");
        Map<String, Object> body = Fixtures.platformBody("web-01");
        body.putAll(Map.of("host", fleet.host(0).address(), "port", fleet.host(0).port(), "username", fleet.host(0).user(),
                "description", "edited"));
        Fixtures.put("/api/platforms/web-01", body).statusCode(200)
                .body("reachability", equalTo("reachable"))
                .body("last_seen_at", equalTo(checked.getString("last_seen_at")));
        JsonPath edited = platform("web-01");
        assertEquals("edited", edited.getString("description"));
        assertEquals("reachable", edited.getString("reachability"));
        assertEquals(checked.getString("last_seen_at"), edited.getString("last_seen_at"));
        assertEquals(checked.getInt("latency_ms"), edited.getInt("latency_ms"));
    }

    @Test
    void filtersTheListByReachability() {
        reachability.checkAll();
        post("/api/platforms", Fixtures.platformBody("new-01")).statusCode(201);

        given().get("/api/platforms?reachability=reachable").then().body("items.name", contains("web-01"));
        given().get("/api/platforms?reachability=unreachable").then().body("items.name", contains("down-01"));
        given().get("/api/platforms?reachability=unknown").then().body("items.name", contains("new-01"))
                .body("total", equalTo(1));
        given().get("/api/platforms?reachability=down").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("reachability"));
    }

    @Test
    void onlyTheLeaderRunsTheScheduledCheck() {
        QuarkusMock.installMockForType(new Leadership() {
            @Override
            public boolean isLeader() {
                return false;
            }

            @Override
            public String mode() {
                return "test";
            }

            @Override
            public String identity() {
                return "follower";
            }

            @Override
            public Optional<String> leader() {
                return Optional.of("someone-else");
            }
        }, Leadership.class);
        reachability.scheduled();
        assertEquals("unknown", platform("web-01").getString("reachability"));
    }
}

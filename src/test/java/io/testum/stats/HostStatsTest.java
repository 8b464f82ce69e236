package io.testum.stats;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
 * {@code GET /api/platforms/{name}/stats} against real sshd hosts. The hosts are this machine, so
 * the numbers must equal what its own {@code /proc} and {@code df} say.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithSshFleet(hosts = 2)
class HostStatsTest {

    private SshFleet fleet;

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        Auth.asAdmin();
        String key = post("/api/credentials/generate", Map.of("name", "deployer")).statusCode(201).extract().path("public_key");
        for (SshFleet.Host host : fleet.hosts()) {
            host.writeAuthorizedKeys(key + "\n");
        }
    }

    static void platform(String name, SshFleet.Host host) {
        post("/api/platforms", Map.of("name", name, "host", host.address(), "port", host.port(), "username", host.user(),
                "auth_method", "key", "credential", "deployer")).statusCode(201);
    }

    private static JsonPath stats(String path) {
        return given().get(path).then().statusCode(200).contentType("application/json").extract().jsonPath();
    }

    @Test
    void answersTheNumbersOfTheHostsOwnProcAndDf() throws Exception {
        platform("web-01", fleet.host(0));
        JsonPath stats = stats("/api/platforms/web-01/stats?refresh=true");

        assertEquals(localMemTotalBytes(), stats.getLong("memory.total_bytes"));
        long available = stats.getLong("memory.available_bytes");
        assertEquals(stats.getLong("memory.total_bytes"), stats.getLong("memory.used_bytes") + available);
        assertTrue(available > 0);
        assertTrue(Math.abs(localUptimeSeconds() - stats.getLong("uptime_seconds")) <= 5,
                "uptime " + stats.getLong("uptime_seconds") + " vs local " + localUptimeSeconds());
        List<Float> load = stats.getList("load");
        assertEquals(3, load.size());
        assertTrue(load.stream().allMatch(l -> l >= 0));
        Map<String, Object> root = stats.getMap("disks.find { it.mount == '/' }");
        assertEquals(localRootSizeBytes(), ((Number) root.get("size_bytes")).longValue());
        assertTrue(((Number) root.get("used_bytes")).longValue() > 0);
        assertTrue(stats.getList("disks.mount").stream().noneMatch(m -> m.equals("/dev/shm") || m.equals("/dev")),
                "pseudo filesystems are left out: " + stats.getList("disks.mount"));
        assertTrue(stats.getString("collected_at").endsWith("Z"), stats.getString("collected_at"));
        assertEquals(List.of("collected_at", "disks", "load", "memory", "uptime_seconds"),
                stats.getMap("").keySet().stream().sorted().toList());
    }

    @Test
    void servesTheSameReadingWithin30SecondsUnlessAskedToRefresh() {
        platform("web-01", fleet.host(0));
        String first = stats("/api/platforms/web-01/stats?refresh=true").getString("collected_at");
        long accepted = accepted(fleet.host(0));

        assertEquals(first, stats("/api/platforms/web-01/stats").getString("collected_at"));
        assertEquals(first, stats("/api/platforms/web-01/stats").getString("collected_at"));
        assertEquals(accepted, accepted(fleet.host(0)), "no new SSH login for a cached reading");

        String refreshed = stats("/api/platforms/web-01/stats?refresh=true").getString("collected_at");
        assertNotEquals(first, refreshed);
        assertTrue(refreshed.compareTo(first) > 0);
    }

    @Test
    void aViewerMayReadStats() {
        platform("web-01", fleet.host(0));
        Auth.as(Auth.tokenOf("stats-viewer", "viewer"));
        stats("/api/platforms/web-01/stats");
    }

    @Test
    void answers404ForAnUnknownPlatform() {
        given().get("/api/platforms/nowhere/stats").then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("platform 'nowhere' does not exist"));
    }

    @Test
    void answers502NamingThePlatformWhenItsHostIsDown() {
        SshFleet.Host host = fleet.host(1);
        platform("down-01", host);
        host.stop();
        try {
            given().get("/api/platforms/down-01/stats?refresh=true").then().statusCode(502)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:testum:problem:platform-unavailable"))
                    .body("title", equalTo("Bad Gateway"))
                    .body("detail", containsString("SSH to platform 'down-01' failed"))
                    .body("detail", containsString("unreachable"));
        } finally {
            host.start();
        }
    }

    static long accepted(SshFleet.Host host) {
        return host.log().lines().filter(l -> l.contains("Accepted publickey")).count();
    }

    private static long localMemTotalBytes() throws IOException {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst().orElseThrow();
    }

    private static long localUptimeSeconds() throws IOException {
        return (long) Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split("\\s+")[0]);
    }

    /** {@code df -P -k /}: the second line's second column, in 1024-byte blocks. */
    private static long localRootSizeBytes() throws IOException, InterruptedException {
        Process df = new ProcessBuilder("df", "-P", "-k", "/").start();
        List<String> lines = new String(df.getInputStream().readAllBytes()).lines().toList();
        df.waitFor(10, TimeUnit.SECONDS);
        return Long.parseLong(lines.get(1).trim().split("\\s+")[1]) * 1024;
    }
}

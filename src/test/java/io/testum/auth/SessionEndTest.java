package io.testum.auth;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.mutiny.Multi;
import io.testum.testing.Auth;
import io.testum.testing.PostgresResource;
import io.testum.testing.SshFleet;
import io.testum.testing.TestDatabase;
import io.testum.testing.WithSshFleet;

/**
 * A session ends for everything it opened: live run output over a WebSocket or Server-Sent
 * Events stops when the session is logged out or its user disabled (the test profile re-checks
 * every second), and no session lives past its lifetime, however often it is refreshed.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithSshFleet
class SessionEndTest {

    private static final String PASSWORD = "correct-horse-battery";
    /** Output at once, then a long silence: the stream stays open until the run ends. */
    private static final String LONG_RUN = "echo started; sleep 25; echo too-late";

    private SshFleet fleet;

    @Inject
    StreamGuard guard;

    @TestHTTPResource("/")
    URI base;

    @org.junit.jupiter.api.AfterEach
    void cancelRuns() {
        for (List<String> run : TestDatabase.rows("SELECT id FROM runs WHERE status IN ('queued', 'running')")) {
            given().header("Authorization", "Bearer " + Auth.adminToken()).post("/api/runs/" + run.get(0) + "/cancel");
        }
    }

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        Auth.asAdmin();
        String key = post("/api/credentials/generate", Map.of("name", "runner")).statusCode(201).extract().path("public_key");
        SshFleet.Host host = fleet.host(0);
        host.writeAuthorizedKeys(key + "\n");
        post("/api/platforms", Map.of("name", "host-0", "host", host.address(), "port", host.port(), "username", host.user(),
                "auth_method", "key", "credential", "runner")).statusCode(201);
        Auth.anonymous();
    }

    private static String newUser(String role) {
        String name = "s-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", "Bearer " + Auth.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("username", name, "password", PASSWORD, "role", role)).post("/api/users").then().statusCode(201);
        return name;
    }

    private static Response login(String name) {
        return given().contentType(ContentType.JSON).body(Map.of("username", name, "password", PASSWORD))
                .post("/api/auth/login").then().statusCode(200).extract().response();
    }

    private static String longRun() {
        return given().header("Authorization", "Bearer " + Auth.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("command", LONG_RUN, "targets", Map.of("platforms", List.of("host-0")), "timeout_seconds", 60))
                .post("/api/runs").then().statusCode(202).extract().path("id");
    }

    @Test
    void aWebSocketClosesWhenItsSessionLogsOut() throws Exception {
        String viewer = login(newUser("viewer")).path("access_token");
        String run = longRun();
        ConcurrentLinkedQueue<String> messages = new ConcurrentLinkedQueue<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        URI uri = URI.create(base.toString().replaceFirst("^http", "ws")).resolve("/ws/runs/" + run);
        HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + viewer)
                .buildAsync(uri, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        messages.add(data.toString());
                        socket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
                        closed.complete(status);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        await("the run's first output").atMost(Duration.ofSeconds(20))
                .until(() -> messages.stream().anyMatch(m -> m.contains("started")));

        given().header("Authorization", "Bearer " + viewer).post("/api/auth/logout").then().statusCode(204);

        assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(4401);
        assertThat(messages).noneMatch(m -> m.contains("too-late"));
    }

    @Test
    void serverSentEventsEndWhenTheUserIsDisabled() throws Exception {
        String name = newUser("viewer");
        String viewer = login(name).path("access_token");
        String run = longRun();
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/runs/" + run + "/events"))
                .header("Authorization", "Bearer " + viewer).header("Accept", "text/event-stream").build();
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> response.body().toList());

        await("the run's first output").atMost(Duration.ofSeconds(20)).until(() -> !TestDatabase
                .rows("SELECT 1 FROM run_events WHERE run_id = ?::uuid AND type = 'output'", run).isEmpty());
        given().header("Authorization", "Bearer " + Auth.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("enabled", false)).put("/api/users/" + name).then().statusCode(200);

        List<String> received = lines.get(10, TimeUnit.SECONDS);
        assertThat(String.join("\n", received)).contains("started").doesNotContain("too-late").doesNotContain("run_done");
    }

    /** A stream that needs the operator role ends when its user is lowered to viewer, and not before. */
    @Test
    void aStreamEndsWhenItsRoleIsLoweredBelowWhatItNeeds() throws Exception {
        String name = newUser("operator");
        login(name);
        UUID session = UUID.fromString(TestDatabase.rows("SELECT s.id FROM auth_sessions s JOIN users u ON u.id = s.user_id "
                + "WHERE u.username = ?", name).get(0).get(0));
        var identity = TokenIdentityProvider.identity(new Caller(name, Role.OPERATOR, session, null));
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        ConcurrentLinkedQueue<Long> ticks = new ConcurrentLinkedQueue<>();
        guard.whileAllowed(identity, "POST /api/runs", Multi.createFrom().ticks().every(Duration.ofMillis(100)))
                .subscribe().with(ticks::add, ended::complete, () -> ended.complete(null));

        await("the stream runs past a re-check while the role allows it").atMost(Duration.ofSeconds(20))
                .until(() -> ticks.size() > 25);
        assertThat(ended).isNotDone();
        given().header("Authorization", "Bearer " + Auth.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("role", "viewer")).put("/api/users/" + name).then().statusCode(200);

        assertThat(ended.get(10, TimeUnit.SECONDS)).isInstanceOf(StreamGuard.AccessEndedException.class);
    }

    /** Refreshing keeps a session going, but only up to its lifetime from the login (12 h by default). */
    @Test
    void aSessionEndsAtItsLifetimeHoweverOftenItIsRefreshed() throws Exception {
        String name = newUser("viewer");
        Response first = login(name);
        String refreshCookie = first.getHeaders().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("testum_refresh=")).findFirst().orElseThrow();
        long maxAge = Long.parseLong(refreshCookie.replaceAll(".*Max-Age=(\\d+).*", "$1"));
        assertThat(maxAge).as("the refresh cookie lives at most the session's lifetime").isLessThanOrEqualTo(12 * 3600);

        Response refreshed = refresh(first.path("refresh_token"));
        refreshed.then().statusCode(200);
        // Eleven hours later, still active: a refresh still works, but no longer for a full refresh-token lifetime.
        shiftSession(name, 11);
        Response late = refresh(refreshed.path("refresh_token"));
        late.then().statusCode(200);
        String lateCookie = late.getHeaders().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("testum_refresh=")).findFirst().orElseThrow();
        assertThat(Long.parseLong(lateCookie.replaceAll(".*Max-Age=(\\d+).*", "$1"))).isLessThanOrEqualTo(3600);

        shiftSession(name, 2);
        given().header("Authorization", "Bearer " + late.path("access_token")).get("/api/users/me").then().statusCode(401);
        refresh(late.path("refresh_token")).then().statusCode(401);
    }

    private static Response refresh(String token) {
        return given().contentType(ContentType.JSON).body(Map.of("refresh_token", token)).post("/api/auth/refresh");
    }

    /** Moves the login of {@code name}'s sessions {@code hours} into the past, as if that much time had passed. */
    private static void shiftSession(String name, int hours) throws java.sql.SQLException {
        try (var c = TestDatabase.connect(); var s = c.prepareStatement("UPDATE auth_sessions SET created_at = created_at "
                + "- make_interval(hours => ?) WHERE user_id = (SELECT id FROM users WHERE username = ?)")) {
            s.setInt(1, hours);
            s.setString(2, name);
            s.executeUpdate();
        }
    }

}

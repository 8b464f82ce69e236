package io.testum.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.testum.testing.Auth;
import io.testum.testing.PostgresResource;
import io.testum.testing.TestDatabase;

/**
 * Password guessing against the real service, behind a reverse proxy (the test client plays the
 * trusted proxy and names each client's address in X-Forwarded-For): parallel guesses, a spray
 * interleaved with the attacker's own logins, and an attacker trying to keep a user out.
 */
@QuarkusTest
@TestProfile(LoginThrottleTest.BehindAProxy.class)
@WithTestResource(PostgresResource.class)
class LoginThrottleTest {

    private static final String PASSWORD = "correct-horse-battery";

    /** The production limits, with a long first wait so that a slow machine cannot outlast it mid-test. */
    public static class BehindAProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("testum.auth.max-failures", "10",
                    "testum.auth.backoff", "10m",
                    "testum.auth.max-backoff", "1h",
                    "testum.auth.failure-window", "2h",
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.trusted-proxies", "127.0.0.1");
        }
    }

    @BeforeEach
    void reset() {
        TestDatabase.reset();
        Auth.anonymous();
    }

    @AfterEach
    void clear() {
        TestDatabase.reset();
    }

    private static String newUser() {
        String name = "u-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", "Bearer " + Auth.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("username", name, "password", PASSWORD, "role", "viewer")).post("/api/users")
                .then().statusCode(201);
        return name;
    }

    private static Response login(String username, String password, String from) {
        return given().header("X-Forwarded-For", from).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password)).post("/api/auth/login");
    }

    private static Map<Integer, Integer> statuses(List<Integer> codes) {
        Map<Integer, Integer> counts = new java.util.TreeMap<>();
        codes.forEach(c -> counts.merge(c, 1, Integer::sum));
        return counts;
    }

    @Test
    void fiftyParallelWrongPasswordsReachThePasswordCheckOnlyTenTimes() throws Exception {
        String user = newUser();
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<Callable<Integer>> guesses = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String guess = "guess-" + i;
                guesses.add(() -> login(user, guess, "198.51.100.10").statusCode());
            }
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(guesses)) {
                codes.add(f.get());
            }
            assertThat(statuses(codes)).isEqualTo(Map.of(401, 10, 429, 40));
        } finally {
            pool.shutdownNow();
        }
        Response throttled = login(user, PASSWORD, "198.51.100.10");
        assertThat(throttled.statusCode()).as("the right password waits too, or it would answer guesses").isEqualTo(429);
        assertThat(Long.parseLong(throttled.header("Retry-After"))).isBetween(500L, 600L);
    }

    /** An attacker with an account of their own signs in between guesses: that must not wipe the count. */
    @Test
    void theAttackersOwnLoginsBetweenGuessesDoNotClearTheCount() {
        String own = newUser();
        List<Integer> guesses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            if (i % 3 == 0) {
                login(own, PASSWORD, "198.51.100.20");
            }
            guesses.add(login("victim-" + i, "Summer2026!", "198.51.100.20").statusCode());
        }
        assertThat(statuses(guesses)).isEqualTo(Map.of(401, 10, 429, 20));
    }

    /**
     * Guessing a user's password from elsewhere slows down logins from elsewhere, but not from where
     * the user signed in before: nobody can lock an account (least of all the admin's) from outside.
     */
    @Test
    void guessesFromElsewhereCannotKeepAUserOut() {
        String user = newUser();
        assertThat(login(user, PASSWORD, "203.0.113.5").statusCode()).isEqualTo(200);
        for (int i = 0; i < 12; i++) {
            login(user, "guess-" + i, "198.51.100." + (30 + i)).statusCode();
        }
        assertThat(login(user, "guess-x", "198.51.100.99").statusCode()).as("a new address waits").isEqualTo(429);
        assertThat(login(user, PASSWORD, "203.0.113.5").statusCode()).as("the user's own address").isEqualTo(200);
    }

    @Test
    void theWaitDoublesWithEachFailureAfterTheLimit() throws Exception {
        String user = newUser();
        for (int i = 0; i < 10; i++) {
            assertThat(login(user, "guess-" + i, "198.51.100.40").statusCode()).isEqualTo(401);
        }
        assertThat(login(user, "guess-10", "198.51.100.40").header("Retry-After")).isNotNull();
        passTime(11);
        assertThat(login(user, "guess-11", "198.51.100.40").statusCode()).as("after the first wait").isEqualTo(401);
        Response second = login(user, "guess-12", "198.51.100.40");
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(second.header("Retry-After"))).as("twice the first wait").isBetween(1100L, 1200L);
    }

    @Test
    void theAuditLogRecordsTheAddressTheTrustedProxyNames() {
        login("someone", "wrong-password", "198.51.100.50").then().statusCode(401);
        assertThat(TestDatabase.rows("SELECT client_address FROM audit_log WHERE actor = 'someone' ORDER BY id DESC LIMIT 1"))
                .containsExactly(List.of("198.51.100.50"));
    }

    @Test
    void sendsStrictTransportSecurityWhenTheProxyServedHttps() {
        assertThat(given().header("X-Forwarded-Proto", "https").get("/login").header("Strict-Transport-Security"))
                .isEqualTo("max-age=31536000");
        assertThat(given().get("/login").header("Strict-Transport-Security")).isNull();
    }

    /** Moves every counted failure {@code minutes} into the past, as if that much time had passed. */
    private static void passTime(int minutes) throws java.sql.SQLException {
        try (var c = TestDatabase.connect(); var s = c.createStatement()) {
            s.execute("UPDATE login_throttle SET window_start = window_start - interval '" + minutes + " minutes'");
        }
    }
}

package io.testum.retention;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.testum.runs.RunLimitsTest;
import io.testum.testing.Auth;
import io.testum.testing.OfflineDatabaseConfig;
import io.testum.testing.PostgresResource;
import io.testum.testing.TestDatabase;

/**
 * Retention on the real database: old finished runs, ended sessions, stale throttle counters and
 * old audit entries go; what is recent stays; the audit log still refuses every other removal.
 */
@QuarkusTest
@TestProfile(RunLimitsTest.Profile.class)
@WithTestResource(PostgresResource.class)
class RetentionTest {

    @Inject
    RetentionJob retention;

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        Auth.asAdmin();
    }

    private static void sql(String... statements) throws SQLException {
        try (Connection c = TestDatabase.connect(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static long count(String sql) {
        return Long.parseLong(TestDatabase.rows(sql).get(0).get(0));
    }

    @Test
    void removesWhatIsPastItsRetentionAndKeepsWhatIsNot() throws Exception {
        UUID old = RunLimitsTest.insertRun(3, "old output\n");
        UUID recent = RunLimitsTest.insertRun(2, "recent output\n");
        UUID running = UUID.randomUUID();
        sql("UPDATE runs SET created_at = now() - interval '120 days', finished_at = now() - interval '100 days' WHERE id = '"
                + old + "'",
                "INSERT INTO run_events (run_id, seq, type, data) VALUES ('" + old + "', 1, 'output', 'x'), ('" + recent
                        + "', 1, 'output', 'y')",
                "INSERT INTO runs (id, command, status, requested_by, timeout_seconds, concurrency, created_at) VALUES ('" + running
                        + "', 'sleep 9', 'running', 'admin', 60, 1, now() - interval '200 days')",
                "INSERT INTO login_throttle (key, failures, window_start) VALUES ('user:old', 3, now() - interval '2 days'), "
                        + "('user:new', 1, now())",
                "INSERT INTO audit_log (at, actor, action, outcome) VALUES (now() - interval '800 days', 'retention-old', 'auth.login', "
                        + "'failure'), (now() - interval '10 days', 'retention-new', 'auth.login', 'success')");
        long sessionsBefore = count("SELECT count(*) FROM auth_sessions");
        sql("INSERT INTO auth_sessions (id, user_id, created_at, expires_at, revoked_at) SELECT gen_random_uuid(), id, "
                + "now() - interval '90 days', now() - interval '60 days', now() - interval '80 days' FROM users WHERE username = 'admin'",
                "INSERT INTO auth_sessions (id, user_id, created_at, expires_at) SELECT gen_random_uuid(), id, "
                        + "now() - interval '50 days', now() - interval '40 days' FROM users WHERE username = 'admin'",
                "INSERT INTO auth_sessions (id, user_id, created_at, expires_at) SELECT gen_random_uuid(), id, "
                        + "now() - interval '20 days', now() - interval '10 days' FROM users WHERE username = 'admin'");

        RetentionJob.Removed removed = retention.prune(Instant.now());

        assertEquals(1, removed.runs());
        assertEquals(List.of(List.of(recent.toString()), List.of(running.toString())),
                TestDatabase.rows("SELECT id::text FROM runs ORDER BY created_at DESC"), "an unfinished run stays, however old");
        assertEquals(0, count("SELECT count(*) FROM run_hosts WHERE run_id = '" + old + "'"));
        assertEquals(0, count("SELECT count(*) FROM run_events WHERE run_id = '" + old + "'"));
        assertEquals(1, count("SELECT count(*) FROM run_events WHERE run_id = '" + recent + "'"));
        assertEquals(2, removed.sessions(), "revoked 80 days ago, expired 40 days ago");
        assertEquals(sessionsBefore + 1, count("SELECT count(*) FROM auth_sessions"),
                "the admin's own session stays, and one that expired 10 days ago");
        assertEquals(List.of(List.of("user:new")), TestDatabase.rows("SELECT key FROM login_throttle WHERE key IN ('user:old', 'user:new')"),
                "the stale counter goes, the fresh one stays (the test's own logins add counters of their own)");
        assertEquals(1, removed.audit());
        assertEquals(0, count("SELECT count(*) FROM audit_log WHERE actor = 'retention-old'"));
        assertEquals(1, count("SELECT count(*) FROM audit_log WHERE actor = 'retention-new'"));
        assertEquals(List.of(List.of("testum", "1")), TestDatabase.rows(
                "SELECT actor, details ->> 'removed' FROM audit_log WHERE action = 'audit.prune'"), "the pruning is audited");
        given().get("/api/runs/" + recent).then().statusCode(200);
    }

    @Test
    void accessHistoryThatEndedBeforeItsRetentionGoesWithItsKeysAndWhatIsInForceStays() throws Exception {
        String keys = "INSERT INTO access_interval_keys (interval_id, fingerprint, name, platform, account, observed, valid_from, "
                + "valid_to) SELECT id, 'SHA256:x', 'alice', platform, account, observed, valid_from, valid_to FROM access_intervals";
        sql("INSERT INTO access_intervals (platform_id, platform, account, observed, content_id, valid_from, valid_to, "
                + "last_seen_at, ended) VALUES "
                + "(1, 'old-01', 'deploy', 'managed', 'a', now() - interval '900 days', now() - interval '500 days', "
                + "now() - interval '500 days', 'deployed'), "
                + "(1, 'old-01', 'deploy', 'managed', 'b', now() - interval '500 days', now() - interval '10 days', "
                + "now() - interval '10 days', 'deployed'), "
                + "(2, 'old-02', 'deploy', 'managed', 'c', now() - interval '1000 days', NULL, now(), NULL)", keys);

        RetentionJob.Removed removed = retention.prune(Instant.now());

        assertEquals(1, removed.accessHistory());
        assertEquals(List.of(List.of("b"), List.of("c")), TestDatabase.rows("SELECT content_id FROM access_intervals ORDER BY 1"),
                "what ended within 400 days stays, and what is in force stays however old");
        assertEquals(2, count("SELECT count(*) FROM access_interval_keys"));
    }

    @Test
    void theAuditLogStillRefusesEveryOtherRemovalAndChange() throws Exception {
        sql("INSERT INTO audit_log (at, actor, action, outcome) VALUES (now() - interval '40 days', 'retention-40d', 'x', 'success'), "
                + "(now() - interval '5 days', 'retention-5d', 'x', 'success')");
        for (String attempt : new String[] {"DELETE FROM audit_log WHERE actor = 'retention-40d'", "UPDATE audit_log SET actor = 'eve'",
                "SELECT prune_audit_log(now() - interval '1 day')",
                // A session setting alone does not open the last 30 days either.
                "BEGIN; SET LOCAL testum.audit_prune_before = '2999-01-01'; DELETE FROM audit_log WHERE actor = 'retention-5d'; COMMIT"}) {
            SQLException refused = assertThrows(SQLException.class, () -> sql(attempt), attempt);
            assertTrue(refused.getMessage().contains("append-only") || refused.getMessage().contains("at least 30 days"),
                    refused.getMessage());
        }
        assertEquals(2, count("SELECT count(*) FROM audit_log WHERE actor IN ('retention-40d', 'retention-5d')"));
        sql("SELECT prune_audit_log(now() - interval '31 days')");
        assertEquals(List.of(List.of("retention-5d")), TestDatabase.rows("SELECT actor FROM audit_log WHERE actor IN ('retention-40d', 'retention-5d')"));
    }

    @Test
    void refusesToStartWithAnAuditRetentionBelowThirtyDays() {
        RetentionConfig config = new RetentionConfig() {
            public Duration interval() {
                return Duration.ofHours(1);
            }

            public Duration runs() {
                return Duration.ofDays(90);
            }

            public Duration sessions() {
                return Duration.ofDays(30);
            }

            public Duration loginThrottle() {
                return Duration.ofDays(1);
            }

            public Duration audit() {
                return Duration.ofDays(29);
            }

            public Duration accessHistory() {
                return Duration.ZERO;
            }
        };
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new RetentionJob(config, null, null, null, null, null, null, new OfflineDatabaseConfig()).checkAtStart(null));
        assertTrue(refused.getMessage().contains("keeps at least 30 days"), refused.getMessage());
    }
}

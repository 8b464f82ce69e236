package io.testum.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.testum.db.EmbeddedDatabase;

/** Two replicas on one PostgreSQL: the advisory lock lets exactly one lead, and a lost session hands over. */
class PostgresLeadershipTest {

    @TempDir
    static Path dir;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static EmbeddedDatabase database;

    @BeforeAll
    static void start() {
        database = EmbeddedDatabase.start(dir);
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    private static PostgresLeadership replica(String name) {
        return new PostgresLeadership(database.url().jdbcUrl(), database.user(), database.password(), name,
                Duration.ofMillis(100));
    }

    @Test
    void exactlyOneReplicaLeadsAndOnlyItReconciles() throws Exception {
        try (PostgresLeadership a = replica("replica-a"); PostgresLeadership b = replica("replica-b")) {
            await("a leader").atMost(WAIT).until(() -> a.isLeader() || b.isLeader());
            PostgresLeadership leader = a.isLeader() ? a : b;
            PostgresLeadership other = leader == a ? b : a;
            await("the same one replica leads throughout, never two at once").during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                    .until(() -> leader.isLeader() && !other.isLeader());
            assertEquals(java.util.Optional.of(leader.identity()), other.leader(), "the follower sees who leads");
        }
    }

    @Test
    void aLeaderWhoseSessionEndsStopsAndAnotherTakesOver() throws Exception {
        try (PostgresLeadership a = replica("replica-a")) {
            await("a leads alone").atMost(WAIT).until(a::isLeader);
            try (PostgresLeadership b = replica("replica-b")) {
                await("b stays a follower while a holds the lock").during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                        .until(() -> a.isLeader() && !b.isLeader());
                try (var c = java.sql.DriverManager.getConnection(database.url().jdbcUrl(), database.user(), database.password());
                        var s = c.createStatement()) {
                    s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            + "WHERE application_name = 'testum leader election: replica-a'");
                }
                await("a notices it lost the lock and stops leading").atMost(WAIT).until(() -> !a.isLeader());
                a.close();
                await("b takes over").atMost(WAIT).until(b::isLeader);
            }
        }

    }
}

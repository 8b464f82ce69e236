package io.testum.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.testum.db.EmbeddedDatabase;

/** Two replicas on one PostgreSQL: the advisory lock lets exactly one lead, and a lost session hands over. */
class PostgresLeadershipTest {

    @TempDir
    static Path dir;
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

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void exactlyOneReplicaLeadsAndOnlyItReconciles() throws Exception {
        try (PostgresLeadership a = replica("replica-a"); PostgresLeadership b = replica("replica-b")) {
            await(() -> a.isLeader() || b.isLeader(), "a leader");
            AtomicInteger appliedByA = new AtomicInteger();
            AtomicInteger appliedByB = new AtomicInteger();
            for (int tick = 0; tick < 50; tick++) {
                assertFalse(a.isLeader() && b.isLeader(), "two leaders at once");
                if (a.isLeader()) {
                    appliedByA.incrementAndGet();
                }
                if (b.isLeader()) {
                    appliedByB.incrementAndGet();
                }
                Thread.sleep(10);
            }
            assertTrue(appliedByA.get() == 0 || appliedByB.get() == 0, "only one replica reconciled");
            assertEquals(50, appliedByA.get() + appliedByB.get());
            PostgresLeadership leader = a.isLeader() ? a : b;
            PostgresLeadership other = leader == a ? b : a;
            assertEquals(java.util.Optional.of(leader.identity()), other.leader(), "the follower sees who leads");
        }
    }

    @Test
    void aLeaderWhoseSessionEndsStopsAndAnotherTakesOver() throws Exception {
        try (PostgresLeadership a = replica("replica-a")) {
            await(a::isLeader, "a leads alone");
            try (PostgresLeadership b = replica("replica-b")) {
                Thread.sleep(300);
                assertFalse(b.isLeader());
                try (var c = java.sql.DriverManager.getConnection(database.url().jdbcUrl(), database.user(), database.password());
                        var s = c.createStatement()) {
                    s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            + "WHERE application_name = 'testum leader election: replica-a'");
                }
                await(() -> !a.isLeader(), "a notices it lost the lock and stops leading");
                a.close();
                await(b::isLeader, "b takes over");
            }
        }

    }
}

package io.testum.retention;

import java.time.Instant;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** The deletes of retention, each in short batches so that no transaction holds much at once. */
@ApplicationScoped
class RetentionRepository {

    /** Runs removed per transaction: each may carry megabytes of output and thousands of events. */
    static final int RUN_BATCH = 100;

    private final Pool pool;

    RetentionRepository(Pool pool) {
        this.pool = pool;
    }

    /** Removes up to {@link #RUN_BATCH} runs that finished before {@code before}; answers how many. */
    Uni<Integer> runsFinishedBefore(Instant before) {
        return pool.preparedQuery("DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE finished_at < $1 "
                + "ORDER BY finished_at LIMIT $2)").execute(Tuple.of(before.atOffset(ZoneOffset.UTC), RUN_BATCH))
                .map(rows -> rows.rowCount());
    }

    /** Removes sessions revoked or expired before {@code before}, and their refresh tokens. */
    Uni<Integer> sessionsEndedBefore(Instant before) {
        return pool.preparedQuery("DELETE FROM auth_sessions WHERE expires_at < $1 OR revoked_at < $1")
                .execute(Tuple.of(before.atOffset(ZoneOffset.UTC))).map(rows -> rows.rowCount());
    }

    /** Removes login throttle counters whose window began before {@code before}. */
    Uni<Integer> throttleBefore(Instant before) {
        return pool.preparedQuery("DELETE FROM login_throttle WHERE window_start < $1")
                .execute(Tuple.of(before.atOffset(ZoneOffset.UTC))).map(rows -> rows.rowCount());
    }
}

package io.testum.auth;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.common.TooManyRequestsException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Counts failed logins per user name and per client address in PostgreSQL, so that every replica
 * sees the same counts. After {@code max-failures} failures within {@code failure-window}, logins
 * for that name or address are refused with 429 until the window ends; a success resets both.
 */
@ApplicationScoped
public class LoginThrottle {

    private final Pool pool;
    private final int maxFailures;
    private final Duration window;

    public LoginThrottle(Pool pool, AuthConfig config) {
        this.pool = pool;
        this.maxFailures = config.maxFailures();
        this.window = config.failureWindow();
    }

    static List<String> keys(String username, String address) {
        return List.of("user:" + username, "address:" + (address == null ? "unknown" : address));
    }

    /** Fails with 429 and the seconds to wait when any of the keys is throttled. */
    public Uni<Void> check(List<String> keys) {
        return pool.preparedQuery("SELECT max(ceil(extract(epoch FROM window_start + make_interval(secs => $2) - now()))) "
                + "FROM login_throttle WHERE key = ANY($1) AND failures >= $3 AND window_start + make_interval(secs => $2) > now()")
                .execute(Tuple.of(keys.toArray(String[]::new), interval(), maxFailures))
                .map(rows -> {
                    var value = rows.iterator().next().getValue(0);
                    if (value != null) {
                        throw new TooManyRequestsException("Too many failed logins; try again later",
                                ((Number) value).longValue());
                    }
                    return null;
                });
    }

    public Uni<Void> recordFailure(List<String> keys) {
        return pool.preparedQuery("INSERT INTO login_throttle AS t (key, failures, window_start) "
                + "SELECT k, 1, now() FROM unnest($1::text[]) AS k "
                + "ON CONFLICT (key) DO UPDATE SET "
                + "failures = CASE WHEN t.window_start + make_interval(secs => $2) <= now() THEN 1 ELSE t.failures + 1 END, "
                + "window_start = CASE WHEN t.window_start + make_interval(secs => $2) <= now() THEN now() ELSE t.window_start END")
                .execute(Tuple.of(keys.toArray(String[]::new), interval())).replaceWithVoid();
    }

    public Uni<Void> reset(List<String> keys) {
        return pool.preparedQuery("DELETE FROM login_throttle WHERE key = ANY($1)")
                .execute(Tuple.of(keys.toArray(String[]::new))).replaceWithVoid();
    }

    /** Seconds, as {@code make_interval(secs => ...)} takes them. */
    private double interval() {
        return window.toMillis() / 1000.0;
    }
}

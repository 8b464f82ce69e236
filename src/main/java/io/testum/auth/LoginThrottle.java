package io.testum.auth;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.common.Sha256;
import io.testum.common.TooManyRequestsException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Slows down password guessing, per user name and per client address, in PostgreSQL so that every
 * replica counts together:
 * <ul>
 * <li>every attempt is counted as a failure <em>before</em> the password is checked, in one
 * transaction that locks the counters, so parallel guesses cannot all slip past the limit; a
 * correct password then takes its own count back, and only its own, so an attacker's logins to an
 * account of their own do not wipe the count of their guesses;</li>
 * <li>after {@code max-failures} failures each attempt must wait {@code backoff}, doubled with each
 * further failure up to {@code max-backoff}, and is answered 429 with {@code Retry-After} while it
 * waits; failures are forgotten {@code failure-window} after the last one;</li>
 * <li>nothing is locked: the count of a user name does not hold back attempts from an address the
 * user signed in from before ({@value #KNOWN_ADDRESS_DAYS} days), so guessing from elsewhere
 * cannot keep the user out. The address's own count still applies there.</li>
 * </ul>
 * Table {@code login_throttle}: {@code key} is {@code user:<name>} or {@code address:<ip>},
 * {@code failures} the count, {@code window_start} when the last one was counted. Times are
 * {@code clock_timestamp()}, not {@code now()}: a transaction may have waited for the row lock.
 */
@ApplicationScoped
public class LoginThrottle {

    static final int KNOWN_ADDRESS_DAYS = 30;
    /** Longer names cannot belong to a user; their key is a hash, so a huge name does not make a huge row. */
    private static final int MAX_NAME_IN_KEY = 100;

    private final Pool pool;
    private final int maxFailures;
    private final Duration window;
    private final Duration backoff;
    private final Duration maxBackoff;

    public LoginThrottle(Pool pool, AuthConfig config) {
        this.pool = pool;
        this.maxFailures = config.maxFailures();
        this.window = config.failureWindow();
        this.backoff = config.backoff();
        this.maxBackoff = config.maxBackoff();
    }

    /** A counted attempt, until its password turns out right. */
    public record Attempt(String userKey, String addressKey) {
        List<String> keys() {
            return List.of(addressKey, userKey);
        }
    }

    static String userKey(String username) {
        String name = username == null ? "" : username;
        return "user:" + (name.length() <= MAX_NAME_IN_KEY ? name : "sha256:" + Sha256.hex(name));
    }

    static String addressKey(String address) {
        return "address:" + (address == null ? "unknown" : address);
    }

    /**
     * Counts an attempt of {@code username} from {@code address} as a failure, or fails with 429 and
     * the seconds to wait when either is throttled (and then counts nothing).
     */
    public Uni<Attempt> claim(String username, String address) {
        Attempt attempt = new Attempt(userKey(username), addressKey(address));
        return knownAddress(username, address).flatMap(known -> pool.withTransaction(c -> claim(c, attempt, known)))
                .map(wait -> {
                    if (wait > 0) {
                        throw new TooManyRequestsException("Too many failed logins; try again later", wait);
                    }
                    return attempt;
                });
    }

    /** The password was right: takes the attempt's count back. Earlier failures stay counted. */
    public Uni<Void> succeeded(Attempt attempt) {
        return pool.preparedQuery("UPDATE login_throttle SET failures = greatest(failures - 1, 0) WHERE key = ANY($1)")
                .execute(Tuple.of(attempt.keys().toArray(String[]::new))).replaceWithVoid();
    }

    /** Seconds to wait (0: counted, go on). */
    private Uni<Long> claim(SqlClient c, Attempt attempt, boolean knownAddress) {
        String[] keys = attempt.keys().stream().sorted().toArray(String[]::new);
        return c.preparedQuery("INSERT INTO login_throttle (key, failures, window_start) "
                + "SELECT k, 0, clock_timestamp() FROM unnest($1::text[]) AS k ORDER BY k ON CONFLICT (key) DO NOTHING")
                .execute(Tuple.of(keys))
                .flatMap(x -> c.preparedQuery("SELECT key, failures, extract(epoch FROM clock_timestamp() - window_start)::float8 AS idle "
                        + "FROM login_throttle WHERE key = ANY($1) ORDER BY key FOR UPDATE").execute(Tuple.of(keys)))
                .flatMap(rows -> {
                    long wait = 0;
                    for (Row row : rows) {
                        boolean exempt = knownAddress && row.getString("key").equals(attempt.userKey());
                        if (!exempt) {
                            wait = Math.max(wait, waitSeconds(row.getInteger("failures"), row.getDouble("idle")));
                        }
                    }
                    if (wait > 0) {
                        return Uni.createFrom().item(wait);
                    }
                    return c.preparedQuery("UPDATE login_throttle SET "
                            + "failures = CASE WHEN window_start + make_interval(secs => $2) <= clock_timestamp() "
                            + "THEN 1 ELSE failures + 1 END, window_start = clock_timestamp() WHERE key = ANY($1)")
                            .execute(Tuple.of(keys, seconds(window))).replaceWith(0L);
                });
    }

    /** How long a key with {@code failures} counted, the last {@code idleSeconds} ago, must still wait. */
    long waitSeconds(int failures, double idleSeconds) {
        if (idleSeconds >= seconds(window) || failures < maxFailures) {
            return 0;
        }
        double remaining = seconds(delay(failures)) - idleSeconds;
        return remaining > 0 ? (long) Math.ceil(remaining) : 0;
    }

    /** The wait after {@code failures} failures: {@code backoff} at {@code max-failures}, doubling, at most {@code max-backoff}. */
    Duration delay(int failures) {
        int doublings = Math.min(failures - maxFailures, 40);
        Duration delay = backoff.multipliedBy(1L << Math.max(doublings, 0));
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }

    /** Whether {@code username} signed in from {@code address} within the last {@value #KNOWN_ADDRESS_DAYS} days. */
    private Uni<Boolean> knownAddress(String username, String address) {
        if (username == null || username.isBlank() || address == null) {
            return Uni.createFrom().item(false);
        }
        return pool.preparedQuery("SELECT EXISTS (SELECT 1 FROM auth_sessions s JOIN users u ON u.id = s.user_id "
                + "WHERE u.username = $1 AND s.client_address = $2 AND s.created_at > now() - make_interval(days => $3))")
                .execute(Tuple.of(username, address, KNOWN_ADDRESS_DAYS))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** Seconds, as {@code make_interval(secs => ...)} takes them. */
    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    /** Removes counters whose window began before {@code before} (retention); answers how many. */
    public Uni<Integer> deleteBefore(Instant before) {
        return pool.preparedQuery("DELETE FROM login_throttle WHERE window_start < $1")
                .execute(Tuple.of(before.atOffset(ZoneOffset.UTC))).map(rows -> rows.rowCount());
    }
}

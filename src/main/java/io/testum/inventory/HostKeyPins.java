package io.testum.inventory;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.common.Rows;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Host keys pinned per address ({@code host_key_pins}). A pin outlives the platforms at its
 * address: deleting a platform and creating it again finds it in force. Only an admin removes one.
 */
@ApplicationScoped
public class HostKeyPins {

    private final Pool pool;

    public HostKeyPins(Pool pool) {
        this.pool = pool;
    }

    /** A pinned key. {@code trusted}: a password may be sent to it. */
    public record Pin(String fingerprint, boolean trusted, String origin, String pinnedBy, Instant pinnedAt) {
    }

    /** What a connection needs to judge a key: the pin at the address, and whether an admin or Git chose the address. */
    public record Standing(Pin pin, boolean addressVouched) {
    }

    /** The pin of {@code host:port} and the platform's standing; the address counts as vouched only while the platform still points there. */
    public Uni<Standing> standing(long platformId, String host, int port) {
        return pool.preparedQuery("SELECT (SELECT address_vouched FROM platforms WHERE id = $1 AND lower(host) = $2 AND port = $3) "
                + "AS vouched, k.fingerprint, k.trusted, k.origin, k.pinned_by, k.pinned_at FROM (SELECT 1) one "
                + "LEFT JOIN host_key_pins k ON k.host = $2 AND k.port = $3")
                .execute(Tuple.of(platformId, normalize(host), port))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Standing(r.getString("fingerprint") == null ? null : pin(r), Boolean.TRUE.equals(r.getBoolean("vouched")));
                });
    }

    /** Pins {@code fingerprint} unless a key is pinned already; answers the pin in force afterwards. */
    public Uni<Pin> pinIfAbsent(String host, int port, String fingerprint, boolean trusted, String origin, String by) {
        return pool.preparedQuery("INSERT INTO host_key_pins (host, port, fingerprint, trusted, origin, pinned_by) "
                + "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (host, port) DO NOTHING")
                .execute(Tuple.of(normalize(host), port, fingerprint, trusted, origin, by))
                .chain(() -> find(host, port));
    }

    /** Marks the pin good for passwords, when it is still {@code fingerprint}. */
    public Uni<Void> trust(String host, int port, String fingerprint) {
        return pool.preparedQuery("UPDATE host_key_pins SET trusted = true WHERE host = $1 AND port = $2 AND fingerprint = $3")
                .execute(Tuple.of(normalize(host), port, fingerprint)).replaceWithVoid();
    }

    public Uni<Pin> find(String host, int port) {
        return find(pool, host, port);
    }

    /** Within {@code c}: the pin of {@code host:port}, or null. */
    static Uni<Pin> find(SqlClient c, String host, int port) {
        return c.preparedQuery("SELECT fingerprint, trusted, origin, pinned_by, pinned_at FROM host_key_pins "
                + "WHERE host = $1 AND port = $2").execute(Tuple.of(normalize(host), port))
                .map(rows -> rows.iterator().hasNext() ? pin(rows.iterator().next()) : null);
    }

    /**
     * Within {@code c}: an admin declared {@code fingerprint} for {@code host:port}; it is the pin
     * from now on, good for passwords.
     */
    static Uni<Void> declare(SqlClient c, String host, int port, String fingerprint, String admin) {
        return c.preparedQuery("INSERT INTO host_key_pins (host, port, fingerprint, trusted, origin, pinned_by) "
                + "VALUES ($1, $2, $3, true, 'declared', $4) ON CONFLICT (host, port) DO UPDATE SET "
                + "fingerprint = EXCLUDED.fingerprint, trusted = true, origin = 'declared', pinned_by = EXCLUDED.pinned_by, "
                + "pinned_at = now()").execute(Tuple.of(normalize(host), port, fingerprint, admin)).replaceWithVoid();
    }

    /** Every pinned fingerprint, by {@link #address(String, int)}. */
    public Uni<Map<String, String>> fingerprints() {
        return pool.query("SELECT host, port, fingerprint FROM host_key_pins").execute()
                .map(rows -> Rows.map(rows, r -> address(r.getString("host"), r.getInteger("port")), r -> r.getString("fingerprint")));
    }

    /** How {@link #fingerprints()} names an address. */
    public static String address(String host, int port) {
        return normalize(host) + " " + port;
    }

    /** Forgets the pin of {@code host:port}; answers whether there was one. */
    public Uni<Boolean> forget(String host, int port) {
        return pool.preparedQuery("DELETE FROM host_key_pins WHERE host = $1 AND port = $2")
                .execute(Tuple.of(normalize(host), port)).map(rows -> rows.rowCount() > 0);
    }

    /** How addresses are keyed: host names are case-insensitive. */
    public static String normalize(String host) {
        return host.toLowerCase(Locale.ROOT);
    }

    private static Pin pin(Row r) {
        OffsetDateTime at = r.getOffsetDateTime("pinned_at");
        return new Pin(r.getString("fingerprint"), r.getBoolean("trusted"), r.getString("origin"), r.getString("pinned_by"),
                at == null ? null : at.toInstant());
    }
}

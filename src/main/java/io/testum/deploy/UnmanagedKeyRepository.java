package io.testum.deploy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.inventory.Labels;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** The keys found outside the managed blocks, in SQL; deploy owns {@code unmanaged_keys}. */
@ApplicationScoped
class UnmanagedKeyRepository {

    private static final String COLUMNS = "u.platform_id, p.name AS platform, p.labels, u.account, u.fingerprint, u.key_type, "
            + "u.bits, u.comment, u.options, u.weak, u.has_from, u.first_seen_at, u.last_seen_at";

    private final Pool pool;

    UnmanagedKeyRepository(Pool pool) {
        this.pool = pool;
    }

    /** One stored key, with its platform's name and labels. */
    public record Stored(long platformId, String platform, Map<String, String> labels, String account, String fingerprint,
            String type, int bits, String comment, String options, boolean weak, boolean hasFrom, Instant firstSeenAt,
            Instant lastSeenAt) {
    }

    /**
     * The filters of a search; each that is not null must match.
     *
     * @param known  fingerprints of known keys, with {@code knownOnly}: true keeps only those, false only the others
     */
    public record Filter(String fingerprint, String platform, Long platformId, List<Labels.Filter> labels, Boolean weak,
            Set<String> known, Boolean knownOnly) {
    }

    /**
     * Records what one read of a (platform, account) file found outside its block, in one
     * transaction: new keys get their first-seen time, seen ones a new last-seen time, keys no
     * longer there lose their row, the count of lines that are not keys is kept with the deployment,
     * and the access history starts and ends the keys' intervals to match.
     *
     * @return the fingerprints seen for the first time
     */
    public Uni<List<String>> record(long platformId, String platform, String account, UnmanagedKeys.Scan scan) {
        List<UnmanagedKeys.Found> keys = scan.keys();
        String[] fingerprints = keys.stream().map(k -> k.key().fingerprint()).toArray(String[]::new);
        return pool.withTransaction(c -> c.preparedQuery("DELETE FROM unmanaged_keys WHERE platform_id = $1 AND account = $2 "
                + "AND NOT (fingerprint = ANY($3))").execute(Tuple.of(platformId, account, fingerprints))
                .flatMap(x -> DeploymentRepository.saveUnparsed(c, platformId, account, scan.unparsed()))
                .flatMap(x -> AccessHistoryRepository.unmanagedSeen(c, platformId, platform, account, fingerprints))
                .flatMap(x -> keys.isEmpty() ? Uni.createFrom().item(List.<String>of()) : c.preparedQuery(
                        "INSERT INTO unmanaged_keys (platform_id, account, fingerprint, key_type, bits, comment, options, weak, has_from) "
                        + "SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::bool[], $9::bool[]) "
                        + "ON CONFLICT (platform_id, account, fingerprint) DO UPDATE SET key_type = EXCLUDED.key_type, "
                        + "bits = EXCLUDED.bits, comment = EXCLUDED.comment, options = EXCLUDED.options, weak = EXCLUDED.weak, "
                        + "has_from = EXCLUDED.has_from, last_seen_at = now() RETURNING fingerprint, (xmax = 0) AS inserted")
                        .execute(Tuple.from(Arrays.asList(platformId, account, fingerprints,
                                keys.stream().map(k -> k.key().type()).toArray(String[]::new),
                                keys.stream().map(k -> k.key().bits()).toArray(Integer[]::new),
                                keys.stream().map(k -> k.key().comment()).toArray(String[]::new),
                                keys.stream().map(UnmanagedKeys.Found::options).toArray(String[]::new),
                                keys.stream().map(UnmanagedKeys.Found::weak).toArray(Boolean[]::new),
                                keys.stream().map(UnmanagedKeys.Found::hasFrom).toArray(Boolean[]::new))))
                        .map(rows -> {
                            List<String> added = new ArrayList<>();
                            rows.forEach(r -> {
                                if (r.getBoolean("inserted")) {
                                    added.add(r.getString("fingerprint"));
                                }
                            });
                            return added;
                        })));
    }

    /** One page of the keys that match, by platform, account and fingerprint, and how many match. */
    public Uni<io.testum.common.Page<Stored>> search(Filter filter, int page, int size) {
        List<Object> params = new ArrayList<>();
        return io.testum.common.Pages.sql(pool, COLUMNS, from(filter, params), "p.name, u.account, u.fingerprint", params,
                page, size, UnmanagedKeyRepository::stored);
    }

    /** Every key that matches, for an export. */
    public Uni<List<Stored>> all(Filter filter) {
        List<Object> params = new ArrayList<>();
        String from = from(filter, params);
        return pool.preparedQuery("SELECT " + COLUMNS + from + " ORDER BY p.name, u.account, u.fingerprint")
                .execute(Tuple.from(params)).map(UnmanagedKeyRepository::stored);
    }

    /**
     * One fingerprint's sightings, summed: how many (platform, account) pairs and platforms carry
     * it, when it was first and last seen, and whether it is weak or, somewhere it is seen, lacks
     * {@code from=} on a platform whose labels hold {@code exposure}.
     */
    public record Group(String fingerprint, String type, int bits, String comment, boolean weak, boolean noFrom, long pairs,
            long platforms, Instant firstSeenAt, Instant lastSeenAt) {
    }

    /**
     * One page of the fingerprints that match, the one seen on the most (platform, account) pairs
     * first, and how many fingerprints match.
     *
     * @param exposure the labels of a platform where a key without {@code from=} is flagged
     */
    public Uni<io.testum.common.Page<Group>> groups(Filter filter, Map<String, String> exposure, int page, int size) {
        List<Object> params = new ArrayList<>();
        String from = from(filter, params);
        params.add(new JsonObject(Map.copyOf(exposure)));
        String grouped = " FROM (SELECT u.fingerprint, min(u.key_type) AS key_type, max(u.bits) AS bits, min(u.comment) AS comment, "
                + "bool_or(u.weak) AS weak, bool_or(NOT u.has_from AND p.labels @> $" + params.size() + ") AS no_from, "
                + "count(*) AS pairs, count(DISTINCT u.platform_id) AS platforms, min(u.first_seen_at) AS first_seen_at, "
                + "max(u.last_seen_at) AS last_seen_at" + from + " GROUP BY u.fingerprint) g";
        return io.testum.common.Pages.sql(pool, "g.*", grouped, "g.pairs DESC, g.fingerprint", params, page, size, rows -> {
            List<Group> list = new ArrayList<>();
            rows.forEach(r -> list.add(new Group(r.getString("fingerprint"), r.getString("key_type"), r.getInteger("bits"),
                    r.getString("comment"), r.getBoolean("weak"), r.getBoolean("no_from"), r.getLong("pairs"),
                    r.getLong("platforms"), r.getOffsetDateTime("first_seen_at").toInstant(),
                    r.getOffsetDateTime("last_seen_at").toInstant())));
            return list;
        });
    }

    /**
     * The first {@code limit} sightings (by platform and account) of each of {@code fingerprints}
     * that match the filter, by fingerprint.
     */
    public Uni<List<Stored>> sightings(Filter filter, List<String> fingerprints, int limit) {
        if (fingerprints.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Object> params = new ArrayList<>();
        String from = from(filter, params);
        params.add(fingerprints.toArray(String[]::new));
        String any = " AND u.fingerprint = ANY($" + params.size() + ")";
        params.add(limit);
        return pool.preparedQuery("SELECT * FROM (SELECT " + COLUMNS + ", row_number() OVER (PARTITION BY u.fingerprint "
                + "ORDER BY p.name, u.account) AS n" + from + any + ") s WHERE s.n <= $" + params.size()
                + " ORDER BY s.fingerprint, s.platform, s.account").execute(Tuple.from(params))
                .map(UnmanagedKeyRepository::stored);
    }

    private static String from(Filter f, List<Object> params) {
        StringBuilder where = new StringBuilder(" FROM unmanaged_keys u JOIN platform_names p ON p.id = u.platform_id WHERE true");
        if (f.fingerprint() != null) {
            params.add(f.fingerprint());
            where.append(" AND u.fingerprint = $").append(params.size());
        }
        if (f.platform() != null) {
            params.add(f.platform());
            where.append(" AND p.name = $").append(params.size());
        }
        if (f.platformId() != null) {
            params.add(f.platformId());
            where.append(" AND u.platform_id = $").append(params.size());
        }
        for (Labels.Filter label : f.labels()) {
            if (label.value() == null) {
                params.add(label.key());
                where.append(" AND p.labels ? $").append(params.size());
            } else {
                params.add(new JsonObject().put(label.key(), label.value()));
                where.append(" AND p.labels @> $").append(params.size());
            }
        }
        if (f.weak() != null) {
            where.append(f.weak() ? " AND u.weak" : " AND NOT u.weak");
        }
        if (f.knownOnly() != null) {
            params.add(f.known().toArray(String[]::new));
            where.append(f.knownOnly() ? " AND u.fingerprint = ANY($" : " AND NOT u.fingerprint = ANY($")
                    .append(params.size()).append(")");
        }
        return where.toString();
    }

    private static List<Stored> stored(RowSet<Row> rows) {
        List<Stored> list = new ArrayList<>();
        rows.forEach(r -> list.add(new Stored(r.getLong("platform_id"), r.getString("platform"),
                Labels.fromJson(r.getJsonObject("labels")), r.getString("account"), r.getString("fingerprint"),
                r.getString("key_type"), r.getInteger("bits"), r.getString("comment"), r.getString("options"),
                r.getBoolean("weak"), r.getBoolean("has_from"), r.getOffsetDateTime("first_seen_at").toInstant(),
                r.getOffsetDateTime("last_seen_at").toInstant())));
        return list;
    }
}

package io.testum.deploy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.testum.common.Page;
import io.testum.common.Pages;
import io.testum.common.Timestamps;
import io.testum.inventory.InventoryChanged;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The access history in SQL; deploy owns {@code access_intervals} and {@code access_interval_keys}.
 * Every interval that ends ends in both tables in the same statement.
 */
@ApplicationScoped
class AccessHistoryRepository {

    /** Intervals an export reads per query. */
    static final int EXPORT_BATCH = 1000;
    /** Intervals retention removes per statement. */
    static final int PRUNE_BATCH = 1000;

    private static final String OPEN_BLOCK = "platform_id = $1 AND account = $2 AND valid_to IS NULL AND observed <> 'unmanaged'";
    private static final String INTERVAL_COLUMNS = "id, platform, account, observed, valid_from, valid_to, last_seen_at, ended, "
            + "source, revision, changes";

    private final Pool pool;

    AccessHistoryRepository(Pool pool) {
        this.pool = pool;
    }

    /** One interval as stored, with its keys. */
    record Stored(long id, String platform, String account, Observed observed, List<BlockKey> keys, Instant from, Instant to,
            Instant lastSeenAt, IntervalEnd ended, String source, String revision, List<InventoryChanged.Cause> changes) {
    }

    /**
     * The filters of a search; each that is not null must match.
     *
     * @param keyName      a key's name as the block named it, or whose fingerprint is in {@code keyFingerprints}
     * @param observed     the kinds to keep; empty keeps all
     * @param at           intervals in force at this time
     * @param from         with {@code to} (either may be null: unbounded), intervals overlapping [from, to]
     */
    record Filter(String platform, String account, String keyName, Set<String> keyFingerprints, String fingerprint,
            Set<Observed> observed, Instant at, Instant from, Instant to) {

        boolean byKey() {
            return keyName != null || fingerprint != null;
        }

        boolean ranged() {
            return from != null || to != null;
        }
    }

    /** One pair's attempt, with the record it was made from. */
    record Attempt(DeploymentRecord record, DeploymentRepository.Outcome outcome) {
    }

    /**
     * Adds to each pair's block intervals what its attempt saw ({@link HistorySteps}), all pairs of
     * the platform in one transaction.
     */
    Uni<Void> record(long platformId, String platform, List<Attempt> attempts) {
        List<Attempt> seen = attempts.stream().filter(a -> a.outcome().observation() != null).toList();
        if (seen.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.withTransaction(c -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Attempt attempt : seen) {
                String account = attempt.record().account();
                chain = chain.flatMap(x -> c.preparedQuery("SELECT observed, content_id FROM access_intervals WHERE " + OPEN_BLOCK
                        + " FOR UPDATE").execute(Tuple.of(platformId, account)).flatMap(rows -> {
                            var found = rows.iterator();
                            Row row = found.hasNext() ? found.next() : null;
                            HistorySteps.OpenBlock open = row == null ? null
                                    : new HistorySteps.OpenBlock(Observed.of(row.getString(0)), row.getString(1));
                            Uni<Void> steps = Uni.createFrom().voidItem();
                            for (HistorySteps.Step step : HistorySteps.of(open, attempt.outcome(), attempt.record())) {
                                steps = steps.flatMap(y -> apply(c, platformId, platform, account, step));
                            }
                            return steps;
                        }));
            }
            return chain;
        });
    }

    private static Uni<Void> apply(SqlClient c, long platformId, String platform, String account, HistorySteps.Step step) {
        return switch (step) {
            case HistorySteps.Seen seen -> c.preparedQuery("UPDATE access_intervals SET last_seen_at = greatest(last_seen_at, $3) "
                    + "WHERE " + OPEN_BLOCK).execute(Tuple.of(platformId, account, Timestamps.utc(seen.at()))).replaceWithVoid();
            case HistorySteps.Close close -> c.preparedQuery("WITH closed AS (UPDATE access_intervals "
                    + "SET valid_to = greatest(valid_from, $3), ended = $4 WHERE " + OPEN_BLOCK + " RETURNING id, valid_to) "
                    + "UPDATE access_interval_keys k SET valid_to = closed.valid_to FROM closed WHERE k.interval_id = closed.id")
                    .execute(Tuple.of(platformId, account, Timestamps.utc(close.at()), close.ended().wire())).replaceWithVoid();
            case HistorySteps.Open open -> {
                InventoryChanged.Cause latest = Changes.latest(open.changes());
                yield c.preparedQuery("WITH opened AS (INSERT INTO access_intervals (platform_id, platform, account, observed, "
                        + "content_id, valid_from, last_seen_at, source, revision, changes) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9) RETURNING id) "
                        + "INSERT INTO access_interval_keys (interval_id, fingerprint, name, platform, account, observed, valid_from) "
                        + "SELECT opened.id, k.fingerprint, k.name, $2, $3, $4, $6 FROM opened, "
                        + "unnest($10::text[], $11::text[]) AS k (fingerprint, name)")
                        .execute(Tuple.from(Arrays.asList(platformId, platform, account, open.observed().wire(), open.contentId(),
                                Timestamps.utc(open.from()), latest == null ? null : latest.source(),
                                latest == null ? null : latest.revision(), Changes.toJson(open.changes()),
                                open.keys().stream().map(BlockKey::fingerprint).toArray(String[]::new),
                                open.keys().stream().map(BlockKey::name).toArray(String[]::new))))
                        .replaceWithVoid();
            }
        };
    }

    /**
     * Within {@code c}, the transaction that records one read of a pair's keys outside the block:
     * the intervals of keys no longer there end, those still there are seen again, and keys seen for
     * the first time start one, all at the transaction's time (the keys' first and last seen).
     *
     * @param present the fingerprints the read found
     */
    static Uni<Void> unmanagedSeen(SqlClient c, long platformId, String platform, String account, String[] present) {
        String pair = "platform_id = $1 AND account = $3 AND valid_to IS NULL AND observed = 'unmanaged'";
        return c.preparedQuery("WITH closed AS (UPDATE access_intervals SET valid_to = greatest(valid_from, now()), "
                + "ended = 'removed_from_host' WHERE " + pair + " AND NOT (content_id = ANY($4)) RETURNING id, valid_to), "
                + "closed_keys AS (UPDATE access_interval_keys k SET valid_to = closed.valid_to FROM closed "
                + "WHERE k.interval_id = closed.id), "
                + "seen AS (UPDATE access_intervals SET last_seen_at = now() WHERE " + pair + " AND content_id = ANY($4)), "
                + "opened AS (INSERT INTO access_intervals (platform_id, platform, account, observed, content_id, valid_from, "
                + "last_seen_at) SELECT $1, $2, $3, 'unmanaged', f, now(), now() FROM unnest($4::text[]) AS f "
                + "WHERE NOT EXISTS (SELECT 1 FROM access_intervals h WHERE h.platform_id = $1 AND h.account = $3 "
                + "AND h.valid_to IS NULL AND h.observed = 'unmanaged' AND h.content_id = f) RETURNING id, content_id) "
                + "INSERT INTO access_interval_keys (interval_id, fingerprint, platform, account, observed, valid_from) "
                + "SELECT id, content_id, $2, $3, 'unmanaged', now() FROM opened")
                .execute(Tuple.of(platformId, platform, account, present)).replaceWithVoid();
    }

    /** Ends every interval in force of a platform not among {@code platformIds}: it left testum. */
    Uni<Void> closeAllBut(Long[] platformIds) {
        return pool.preparedQuery("WITH closed AS (UPDATE access_intervals SET valid_to = greatest(valid_from, now()), "
                + "ended = 'platform_deleted' WHERE valid_to IS NULL AND NOT (platform_id = ANY($1)) RETURNING id, valid_to) "
                + "UPDATE access_interval_keys k SET valid_to = closed.valid_to FROM closed WHERE k.interval_id = closed.id")
                .execute(Tuple.of(platformIds)).replaceWithVoid();
    }

    /** One page of the intervals that match, by platform, account and start, and how many match. */
    Uni<Page<Stored>> search(Filter filter, int page, int size) {
        List<Object> params = new ArrayList<>();
        Driver d = Driver.of(filter);
        String from = d.from(filter, params);
        return Pages.sql(pool, d.id() + " AS id", from, d.order(), params, page, size, AccessHistoryRepository::ids)
                .flatMap(ids -> details(ids.items()).map(items -> new Page<>(items, ids.total(), page, size)));
    }

    /** Every interval that matches, in the order of a search, read {@link #EXPORT_BATCH} at a time. */
    Multi<Stored> stream(Filter filter) {
        Driver d = Driver.of(filter);
        AtomicReference<Stored> last = new AtomicReference<>();
        return Multi.createBy().repeating().uni(() -> {
            List<Object> params = new ArrayList<>();
            StringBuilder from = new StringBuilder(d.from(filter, params));
            Stored after = last.get();
            if (after != null) {
                params.addAll(List.of(after.platform(), after.account(), Timestamps.utc(after.from()), after.id()));
                int n = params.size();
                from.append(" AND (").append(d.alias()).append(".platform, ").append(d.alias()).append(".account, ")
                        .append(d.alias()).append(".valid_from, ").append(d.id()).append(") > ($").append(n - 3)
                        .append(", $").append(n - 2).append(", $").append(n - 1).append(", $").append(n).append(")");
            }
            return pool.preparedQuery("SELECT " + d.id() + " AS id" + from + " ORDER BY " + d.order() + " LIMIT " + EXPORT_BATCH)
                    .execute(Tuple.from(params)).map(AccessHistoryRepository::ids).flatMap(this::details);
        }).whilst(batch -> {
            if (!batch.isEmpty()) {
                last.set(batch.get(batch.size() - 1));
            }
            return batch.size() == EXPORT_BATCH;
        }).onItem().transformToIterable(batch -> batch);
    }

    /** The latest intervals of a platform, by account and newest first, and how many each account has in all. */
    record Latest(List<Stored> intervals, Map<String, Long> totals) {
    }

    /**
     * The latest {@code perAccount} intervals of each account of the platform called {@code platform}
     * (its history stays under that name after it left testum), by account and newest first.
     */
    Uni<Latest> latest(String platform, int perAccount) {
        return pool.preparedQuery("SELECT id, account, total FROM (SELECT id, account, row_number() OVER (PARTITION BY account "
                + "ORDER BY valid_from DESC, id DESC) AS n, count(*) OVER (PARTITION BY account) AS total FROM access_intervals "
                + "WHERE platform = $1) t WHERE n <= $2 ORDER BY account, n").execute(Tuple.of(platform, perAccount))
                .flatMap(rows -> {
                    Map<String, Long> totals = new java.util.LinkedHashMap<>();
                    rows.forEach(r -> totals.put(r.getString("account"), r.getLong("total")));
                    return details(ids(rows)).map(found -> new Latest(found, totals));
                });
    }

    /** One block interval holding a key: its pair and bounds ({@code to} null while in force). */
    record Held(String platform, String account, Instant from, Instant to) {
    }

    /**
     * The block intervals (managed or found on the host) of the named platforms that hold the key
     * with {@code fingerprint}, by platform and account, newest first.
     */
    Uni<List<Held>> held(String fingerprint, List<String> platforms) {
        if (platforms.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery("SELECT platform, account, valid_from, valid_to FROM access_interval_keys WHERE fingerprint = $1 "
                + "AND platform = ANY($2) AND observed <> 'unmanaged' ORDER BY platform, account, valid_from DESC")
                .execute(Tuple.of(fingerprint, platforms.toArray(String[]::new)))
                .map(rows -> io.testum.common.Rows.list(rows, r -> new Held(r.getString("platform"), r.getString("account"),
                        Timestamps.of(r, "valid_from"), Timestamps.of(r, "valid_to"))));
    }

    /** Removes up to {@link #PRUNE_BATCH} intervals that ended before {@code before}, with their keys; returns how many. */
    Uni<Integer> deleteEndedBefore(Instant before) {
        return pool.preparedQuery("DELETE FROM access_intervals WHERE id IN (SELECT id FROM access_intervals "
                + "WHERE valid_to < $1 LIMIT " + PRUNE_BATCH + ")").execute(Tuple.of(Timestamps.utc(before))).map(RowSet::rowCount);
    }

    /** The table a search reads: the keys (for a key or fingerprint) or the intervals. */
    private record Driver(String alias, String table, String id) {

        static Driver of(Filter f) {
            return f.byKey() ? new Driver("k", "access_interval_keys", "k.interval_id")
                    : new Driver("h", "access_intervals", "h.id");
        }

        String order() {
            return alias + ".platform, " + alias + ".account, " + alias + ".valid_from, " + id;
        }

        String from(Filter f, List<Object> params) {
            String a = alias;
            StringBuilder where = new StringBuilder(" FROM " + table + " " + a + " WHERE true");
            if (f.platform() != null) {
                params.add(f.platform());
                where.append(" AND ").append(a).append(".platform = $").append(params.size());
            }
            if (f.account() != null) {
                params.add(f.account());
                where.append(" AND ").append(a).append(".account = $").append(params.size());
            }
            if (!f.observed().isEmpty() && f.observed().size() < Observed.values().length) {
                params.add(f.observed().stream().map(Observed::wire).toArray(String[]::new));
                where.append(" AND ").append(a).append(".observed = ANY($").append(params.size()).append(")");
            }
            if (f.fingerprint() != null) {
                params.add(f.fingerprint());
                where.append(" AND k.fingerprint = $").append(params.size());
            }
            if (f.keyName() != null) {
                params.add(f.keyName());
                where.append(" AND (k.name = $").append(params.size());
                if (!f.keyFingerprints().isEmpty()) {
                    params.add(f.keyFingerprints().toArray(String[]::new));
                    where.append(" OR k.fingerprint = ANY($").append(params.size()).append(")");
                }
                where.append(")");
            }
            String during = "tstzrange(" + a + ".valid_from, " + a + ".valid_to)";
            if (f.at() != null) {
                params.add(Timestamps.utc(f.at()));
                where.append(" AND ").append(during).append(" @> $").append(params.size()).append("::timestamptz");
            } else if (f.ranged()) {
                params.add(f.from() == null ? null : Timestamps.utc(f.from()));
                params.add(f.to() == null ? null : Timestamps.utc(f.to()));
                where.append(" AND ").append(during).append(" && tstzrange($").append(params.size() - 1)
                        .append("::timestamptz, $").append(params.size()).append("::timestamptz, '[]')");
            }
            return where.toString();
        }
    }

    private static List<Long> ids(RowSet<Row> rows) {
        List<Long> ids = new ArrayList<>();
        rows.forEach(r -> ids.add(r.getLong("id")));
        return ids;
    }

    /** The intervals with these ids and their keys, in the order of {@code ids}. */
    private Uni<List<Stored>> details(List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Long[] array = ids.toArray(Long[]::new);
        Uni<RowSet<Row>> intervals = pool.preparedQuery("SELECT " + INTERVAL_COLUMNS + " FROM access_intervals WHERE id = ANY($1)")
                .execute(Tuple.of(array));
        Uni<RowSet<Row>> keys = pool.preparedQuery("SELECT interval_id, fingerprint, name FROM access_interval_keys "
                + "WHERE interval_id = ANY($1)").execute(Tuple.of(array));
        return Uni.combine().all().unis(intervals, keys).with((rows, keyRows) -> {
            Map<Long, List<BlockKey>> byInterval = new HashMap<>();
            keyRows.forEach(r -> byInterval.computeIfAbsent(r.getLong("interval_id"), x -> new ArrayList<>())
                    .add(new BlockKey(r.getString("name"), r.getString("fingerprint"))));
            Map<Long, Stored> byId = new HashMap<>();
            rows.forEach(r -> {
                long id = r.getLong("id");
                List<BlockKey> found = new ArrayList<>(byInterval.getOrDefault(id, List.of()));
                found.sort(BlockKey.ORDER);
                String ended = r.getString("ended");
                byId.put(id, new Stored(id, r.getString("platform"), r.getString("account"), Observed.of(r.getString("observed")),
                        found, Timestamps.of(r, "valid_from"), Timestamps.of(r, "valid_to"), Timestamps.of(r, "last_seen_at"),
                        ended == null ? null : IntervalEnd.of(ended), r.getString("source"), r.getString("revision"),
                        Changes.fromJson(r.getJsonArray("changes"))));
            });
            return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
        });
    }
}

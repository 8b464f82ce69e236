package io.testum.runs;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Rows;
import io.testum.common.Timestamps;
import io.testum.inventory.PlatformDirectory;
import io.testum.secrets.SecretCipher;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The SQL of runs: submit, claim with {@code SKIP LOCKED}, per-host results, events and their NOTIFY. */
@ApplicationScoped
class RunRepository {

    /** The channel every replica LISTENs on; the payload is the run id. */
    public static final String CHANNEL = "testum_run_events";

    /** Output data one page of events holds at most, whatever its number of events. */
    static final int EVENT_PAGE_BYTES = 4 * 1024 * 1024;

    private static final String HOST_COUNTS = "(SELECT json_object_agg(s.status, s.n) FROM (SELECT status, count(*) AS n "
            + "FROM run_hosts h WHERE h.run_id = r.id GROUP BY status) s) AS hosts";

    /** Hosts read at once when results or groups are streamed: each may hold 2 x testum.runs.max-output-bytes. */
    static final int STREAM_BATCH = 4;

    private static final String RUN_COLUMNS = "r.id, r.command, r.interpreter, r.status, r.requested_by, r.created_at, "
            + "r.started_at, r.finished_at, r.timeout_seconds, r.concurrency, r.max_failures, r.reason";

    private final Pool pool;
    private final PlatformDirectory platforms;
    private final SecretCipher cipher;

    RunRepository(Pool pool, PlatformDirectory platforms, SecretCipher cipher) {
        this.pool = pool;
        this.platforms = platforms;
        this.cipher = cipher;
    }

    /** What a run's sealed environment is bound to: it opens for that run only. */
    private static String envPurpose(UUID id) {
        return "run-env:" + id;
    }

    /** A platform a run may target: its name and labels. */
    public record Target(String name, Map<String, String> labels) {
    }

    /** A run as an executor claimed it: a {@code command}, or a {@code script} (then command is null). */
    public record Claimed(UUID id, String command, RunScript script, int timeoutSeconds, int concurrency, Integer maxFailures,
            List<String> platforms) {
    }

    /** How one host ended. */
    public record HostOutcome(String platform, RunStatus status, Integer exitCode, Instant startedAt, byte[] stdout,
            byte[] stderr, boolean truncated, String error) {
    }

    /** Every platform a run may target, by name, as the inventory lists them. */
    public Uni<List<Target>> targets() {
        return platforms.labelled().map(list -> list.stream().map(p -> new Target(p.name(), p.labels())).toList());
    }

    /**
     * Stores a queued run and its hosts. {@code scheduledFor} (or null) is the due time of the
     * schedule firing that starts it: a second run for the same requester and due time is refused
     * by the database ({@code runs_one_per_firing}), whichever replica or restart tries.
     */
    public Uni<Void> insert(UUID id, String command, RunScript script, String requestedBy, int timeoutSeconds,
            int concurrency, Integer maxFailures, List<String> platforms, Instant scheduledFor) {
        Tuple row = Tuple.of(id, command, requestedBy, timeoutSeconds, concurrency, maxFailures);
        if (script == null) {
            row.addValue(null).addValue(null).addValue(null).addValue(null).addValue(null);
        } else {
            row.addValue(script.script()).addValue(script.interpreter()).addValue(new JsonArray(script.args()))
                    .addValue(new JsonArray(List.copyOf(script.env().keySet())))
                    .addValue(script.env().isEmpty() ? null
                            : io.vertx.core.buffer.Buffer.buffer(SealedEnv.seal(cipher, script.env(), envPurpose(id))));
        }
        return pool.withTransaction(c -> c.preparedQuery("INSERT INTO runs (id, command, requested_by, timeout_seconds, "
                + "concurrency, max_failures, script, interpreter, args, env_names, env_sealed, scheduled_for) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
                .execute(row.addValue(Timestamps.utc(scheduledFor)))
                .chain(() -> {
                    List<Tuple> hosts = new ArrayList<>();
                    for (int i = 0; i < platforms.size(); i++) {
                        hosts.add(Tuple.of(id, i, platforms.get(i)));
                    }
                    return c.preparedQuery("INSERT INTO run_hosts (run_id, position, platform) VALUES ($1, $2, $3)")
                            .executeBatch(hosts);
                })
                .chain(() -> notify(c, id)));
    }

    /** The script of a claimed run with its environment opened, or {@code null} for a command run. */
    private RunScript script(UUID id, Row r) {
        String script = r.getString("script");
        if (script == null) {
            return null;
        }
        Buffer sealed = r.getBuffer("env_sealed");
        return new RunScript(script, r.getString("interpreter"), Rows.strings(r.getJsonArray("args")),
                SealedEnv.open(cipher, sealed == null ? null : sealed.getBytes(), envPurpose(id)));
    }

    /** Claims the oldest queued run for {@code owner}; another replica claiming at once skips it. */
    public Uni<Claimed> claim(String owner, Duration lease) {
        return pool.withTransaction(c -> c.preparedQuery("UPDATE runs SET status = 'running', started_at = now(), "
                + "claimed_by = $1, lease_until = now() + make_interval(secs => $2) WHERE id = (SELECT id FROM runs "
                + "WHERE status = 'queued' ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED) "
                + "RETURNING id, command, script, interpreter, args, env_sealed, timeout_seconds, concurrency, max_failures")
                .execute(Tuple.of(owner, seconds(lease)))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().nullItem();
                    }
                    Row r = rows.iterator().next();
                    UUID id = r.getUUID("id");
                    return c.preparedQuery("SELECT platform FROM run_hosts WHERE run_id = $1 ORDER BY position")
                            .execute(Tuple.of(id))
                            .map(hosts -> {
                                List<String> platforms = new ArrayList<>();
                                hosts.forEach(h -> platforms.add(h.getString("platform")));
                                return new Claimed(id, r.getString("command"), script(id, r), r.getInteger("timeout_seconds"),
                                        r.getInteger("concurrency"), r.getInteger("max_failures"), platforms);
                            });
                }));
    }

    /**
     * Renews the claim; answers whether a cancel was asked for, or {@code null} when the claim is
     * lost (the run was reaped or finished elsewhere).
     */
    public Uni<Boolean> heartbeat(UUID id, String owner, Duration lease) {
        return pool.preparedQuery("UPDATE runs SET lease_until = now() + make_interval(secs => $3) WHERE id = $1 "
                + "AND claimed_by = $2 AND status = 'running' RETURNING cancel_requested")
                .execute(Tuple.of(id, owner, seconds(lease)))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getBoolean("cancel_requested") : null);
    }

    public Uni<Void> hostStarted(UUID id, String platform) {
        return pool.preparedQuery("UPDATE run_hosts SET status = 'running', started_at = now() WHERE run_id = $1 "
                + "AND platform = $2").execute(Tuple.of(id, platform)).replaceWithVoid();
    }

    public Uni<Void> hostFinished(UUID id, HostOutcome o) {
        return pool.preparedQuery("UPDATE run_hosts SET status = $3, exit_code = $4, started_at = coalesce(started_at, $5), "
                + "finished_at = now(), stdout = $6, stderr = $7, truncated = $8, error = $9 WHERE run_id = $1 AND platform = $2")
                .execute(Tuple.from(Arrays.asList(id, o.platform(), o.status().label(), o.exitCode(),
                        o.startedAt() == null ? null : o.startedAt().atOffset(ZoneOffset.UTC),
                        io.vertx.core.buffer.Buffer.buffer(o.stdout()), io.vertx.core.buffer.Buffer.buffer(o.stderr()), o.truncated(),
                        o.error())))
                .replaceWithVoid();
    }

    /** Hosts a run did not start (canceled, or {@code max_failures} reached). */
    public Uni<Void> cancelQueuedHosts(UUID id, String reason) {
        return pool.preparedQuery("UPDATE run_hosts SET status = 'canceled', finished_at = now(), error = $2 "
                + "WHERE run_id = $1 AND status = 'queued'").execute(Tuple.of(id, reason)).replaceWithVoid();
    }

    /** Ends a run its executor still holds. */
    public Uni<Void> finish(UUID id, String owner, RunStatus status, String reason) {
        return pool.preparedQuery("UPDATE runs SET status = $3, finished_at = now(), reason = $4, lease_until = NULL "
                + "WHERE id = $1 AND claimed_by = $2 AND status = 'running'")
                .execute(Tuple.of(id, owner, status.label(), reason)).replaceWithVoid();
    }

    /** Who asked for a finished run, and its hosts that failed or timed out, in their order. */
    public record Failure(String requestedBy, List<String> failedPlatforms) {
    }

    public Uni<Failure> failure(UUID id) {
        return pool.preparedQuery("SELECT r.requested_by, coalesce((SELECT array_agg(h.platform ORDER BY h.position) "
                + "FROM run_hosts h WHERE h.run_id = r.id AND h.status IN ('failed', 'timed_out')), '{}') AS failed "
                + "FROM runs r WHERE r.id = $1").execute(Tuple.of(id))
                .map(rows -> Rows.first(rows, r -> new Failure(r.getString("requested_by"), List.of(r.getArrayOfStrings("failed")))));
    }

    /** What a cancel found: the status before and after. */
    public record Canceled(RunStatus before, RunStatus after) {
    }

    /**
     * Asks for a run to stop. A queued run is canceled here and then, with all its hosts; a running
     * one is stopped by its executor, which sees the flag within a heartbeat. {@code null}: no such run.
     */
    public Uni<Canceled> cancel(UUID id) {
        return pool.withTransaction(c -> c.preparedQuery("SELECT status FROM runs WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(id))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().nullItem();
                    }
                    RunStatus before = RunStatus.of(rows.iterator().next().getString("status"));
                    if (before.finished()) {
                        return Uni.createFrom().item(new Canceled(before, before));
                    }
                    if (before == RunStatus.RUNNING) {
                        return c.preparedQuery("UPDATE runs SET cancel_requested = true WHERE id = $1").execute(Tuple.of(id))
                                .replaceWith(new Canceled(before, before));
                    }
                    return c.preparedQuery("UPDATE runs SET cancel_requested = true, status = 'canceled', "
                            + "finished_at = now(), reason = 'canceled before it started' WHERE id = $1").execute(Tuple.of(id))
                            .chain(() -> endHosts(c, id, "canceled before it started"))
                            .chain(() -> appendEnd(c, id, RunStatus.CANCELED))
                            .replaceWith(new Canceled(before, RunStatus.CANCELED));
                }));
    }

    /**
     * Marks failed every run whose executor stopped renewing its claim (a replica that died), with
     * the reason; answers how many.
     */
    public Uni<Integer> reapExpired() {
        return pool.withTransaction(c -> c.query("UPDATE runs SET status = 'failed', finished_at = now(), "
                + "reason = 'the replica executing it (' || coalesce(claimed_by, '?') || ') stopped renewing its claim, "
                + "which expired at ' || to_char(lease_until AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
                + "lease_until = NULL WHERE id IN (SELECT id FROM runs WHERE status = 'running' AND lease_until < now() "
                + "FOR UPDATE SKIP LOCKED) RETURNING id")
                .execute()
                .chain(rows -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    int count = 0;
                    for (Row r : rows) {
                        UUID id = r.getUUID("id");
                        count++;
                        chain = chain.chain(() -> endHosts(c, id, "the replica executing the run stopped"))
                                .chain(() -> appendEnd(c, id, RunStatus.FAILED));
                    }
                    int reaped = count;
                    return chain.replaceWith(reaped);
                }));
    }

    /** Hosts still running become failed, hosts not started canceled. */
    private static Uni<Void> endHosts(SqlClient c, UUID id, String error) {
        return c.preparedQuery("UPDATE run_hosts SET status = CASE WHEN status = 'running' THEN 'failed' ELSE 'canceled' END, "
                + "finished_at = now(), error = $2 WHERE run_id = $1 AND status IN ('queued', 'running')")
                .execute(Tuple.of(id, error)).replaceWithVoid();
    }

    private static Uni<Void> appendEnd(SqlClient c, UUID id, RunStatus status) {
        RunEvent end = RunEvent.runDone(status);
        return c.preparedQuery("INSERT INTO run_events (run_id, seq, type, status) SELECT $1, coalesce(max(seq), 0) + 1, "
                + "$2, $3 FROM run_events WHERE run_id = $1").execute(Tuple.of(id, end.type(), end.status()))
                .chain(() -> notify(c, id));
    }

    /** Persists {@code events} (numbered already) and announces them, in one transaction. */
    public Uni<Void> append(UUID id, List<RunEvent> events) {
        List<Tuple> rows = new ArrayList<>(events.size());
        for (RunEvent e : events) {
            rows.add(Tuple.from(Arrays.asList(id, e.seq(), e.type(), e.platform(), e.stream(), e.data(), e.status(),
                    e.exitCode(), e.error())));
        }
        return pool.withTransaction(c -> c.preparedQuery("INSERT INTO run_events (run_id, seq, type, platform, stream, "
                + "data, status, exit_code, error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)").executeBatch(rows)
                .chain(() -> notify(c, id)));
    }

    private static Uni<Void> notify(SqlClient c, UUID id) {
        return c.preparedQuery("SELECT pg_notify('" + CHANNEL + "', $1)").execute(Tuple.of(id.toString())).replaceWithVoid();
    }

    /**
     * Events after {@code afterSeq}, in order, at most {@code limit}, and no more than
     * {@link #EVENT_PAGE_BYTES} of output data (but at least one event).
     */
    public Uni<List<RunEvent>> events(UUID id, long afterSeq, int limit) {
        return pool.preparedQuery("SELECT seq, type, platform, stream, data, status, exit_code, error FROM ("
                + "SELECT e.*, sum(coalesce(octet_length(e.data), 0)) OVER (ORDER BY e.seq) AS upto FROM ("
                + "SELECT seq, type, platform, stream, data, status, exit_code, error FROM run_events "
                + "WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3) e) w "
                + "WHERE upto - coalesce(octet_length(data), 0) < $4 ORDER BY seq")
                .execute(Tuple.of(id, afterSeq, limit, EVENT_PAGE_BYTES))
                .map(rows -> {
                    List<RunEvent> events = new ArrayList<>();
                    for (Row r : rows) {
                        events.add(new RunEvent(r.getLong("seq"), r.getString("type"), r.getString("platform"),
                                r.getString("stream"), r.getString("data"), r.getString("status"), r.getInteger("exit_code"),
                                r.getString("error")));
                    }
                    return events;
                });
    }

    /** The status of a run; {@code null}: no such run. */
    public Uni<RunStatus> status(UUID id) {
        return pool.preparedQuery("SELECT status FROM runs WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.iterator().hasNext() ? RunStatus.of(rows.iterator().next().getString("status")) : null);
    }

    public Uni<Page<RunViews.Summary>> list(RunViews.Filter filter, PageRequest page) {
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE true");
        if (filter.status() != null) {
            params.add(filter.status());
            where.append(" AND r.status = $").append(params.size());
        }
        if (filter.requestedBy() != null) {
            params.add(filter.requestedBy());
            where.append(" AND r.requested_by = $").append(params.size());
        }
        if (filter.platform() != null) {
            params.add(filter.platform());
            where.append(" AND EXISTS (SELECT 1 FROM run_hosts h WHERE h.run_id = r.id AND h.platform = $")
                    .append(params.size()).append(")");
        }
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add(page.size());
        pageParams.add(page.offset());
        String sql = "SELECT " + RUN_COLUMNS + ", " + HOST_COUNTS + " FROM runs r" + where
                + " ORDER BY r.created_at DESC, r.id LIMIT $" + (params.size() + 1) + " OFFSET $" + (params.size() + 2);
        Uni<RowSet<Row>> items = pool.preparedQuery(sql).execute(Tuple.from(pageParams));
        Uni<RowSet<Row>> total = pool.preparedQuery("SELECT count(*) AS n FROM runs r" + where).execute(Tuple.from(params));
        return Uni.combine().all().unis(items, total).asTuple().map(t -> {
            List<RunViews.Summary> list = new ArrayList<>();
            for (Row r : t.getItem1()) {
                list.add(summary(r));
            }
            return new Page<>(list, t.getItem2().iterator().next().getLong("n"), page.page(), page.size());
        });
    }

    /** One run as {@link #list} shows it; {@code null}: no such run. */
    public Uni<RunViews.Summary> summary(UUID id) {
        return pool.preparedQuery("SELECT " + RUN_COLUMNS + ", " + HOST_COUNTS + " FROM runs r WHERE r.id = $1")
                .execute(Tuple.of(id)).map(rows -> rows.iterator().hasNext() ? summary(rows.iterator().next()) : null);
    }

    private static RunViews.Summary summary(Row r) {
        Map<String, Long> hosts = new LinkedHashMap<>();
        JsonObject json = r.getJsonObject("hosts");
        if (json != null) {
            json.forEach(e -> hosts.put(e.getKey(), ((Number) e.getValue()).longValue()));
        }
        return new RunViews.Summary(r.getUUID("id"), r.getString("command"), r.getString("interpreter"), r.getString("status"),
                r.getString("requested_by"), Timestamps.of(r, "created_at"), Timestamps.of(r, "started_at"),
                Timestamps.of(r, "finished_at"), r.getInteger("timeout_seconds"), r.getInteger("concurrency"),
                r.getInteger("max_failures"), r.getString("reason"), hosts);
    }

    /**
     * A run with the results of its hosts at positions {@code [from, to)}, each stream cut at
     * {@code maxBytes} (pages of the UI, which show a preview); {@code null}: no such run.
     */
    public Uni<RunViews.Detail> get(UUID id, int from, int to, int maxBytes) {
        return head(id).chain(head -> head == null ? Uni.createFrom().nullItem()
                : results(id, from, to, maxBytes).map(head::withResults));
    }

    /** A run without host results, with every target and their number; {@code null}: no such run. */
    public Uni<RunViews.Detail> head(UUID id) {
        return pool.preparedQuery("SELECT " + RUN_COLUMNS + ", r.script, r.args, r.env_names, "
                + "coalesce((SELECT array_agg(platform ORDER BY position) "
                + "FROM run_hosts h WHERE h.run_id = r.id), '{}'::text[]) AS targets FROM runs r WHERE r.id = $1")
                .execute(Tuple.of(id))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    List<String> targets = List.of(r.getArrayOfStrings("targets"));
                    return new RunViews.Detail(r.getUUID("id"), r.getString("command"), r.getString("script"),
                            r.getString("interpreter"), r.getString("script") == null ? null : Rows.strings(r.getJsonArray("args")),
                            r.getString("script") == null ? null : Rows.strings(r.getJsonArray("env_names")), r.getString("status"),
                            r.getString("requested_by"), Timestamps.of(r, "created_at"), Timestamps.of(r, "started_at"),
                            Timestamps.of(r, "finished_at"), r.getInteger("timeout_seconds"), r.getInteger("concurrency"),
                            r.getInteger("max_failures"), r.getString("reason"), targets, List.of());
                });
    }

    /** The results of the hosts at positions {@code [from, to)}, in order, each stream cut at {@code maxBytes}. */
    public Uni<List<RunViews.HostResult>> results(UUID id, int from, int to, int maxBytes) {
        return pool.preparedQuery("SELECT platform, status, exit_code, started_at, finished_at, "
                + "substring(stdout FROM 1 FOR $4) AS stdout, substring(stderr FROM 1 FOR $4) AS stderr, "
                + "truncated OR octet_length(stdout) > $4 OR octet_length(stderr) > $4 AS truncated, error "
                + "FROM run_hosts WHERE run_id = $1 AND position >= $2 AND position < $3 ORDER BY position")
                .execute(Tuple.of(id, from, to, maxBytes)).map(RunRepository::hostResults);
    }

    /**
     * The full results of the hosts at positions {@code [from, to)}, in order, read a few rows at a
     * time as the consumer asks for them: a page of hosts with a megabyte of output each never sits
     * in memory at once.
     */
    public Multi<RunViews.HostResult> stream(UUID id, int from, int to) {
        if (from >= to) {
            return Multi.createFrom().empty();
        }
        AtomicInteger next = new AtomicInteger(from);
        return Multi.createBy().repeating()
                .uni(() -> {
                    int start = next.get();
                    int end = Math.min(to, start + STREAM_BATCH);
                    return pool.preparedQuery("SELECT platform, status, exit_code, started_at, finished_at, stdout, stderr, "
                            + "truncated, error FROM run_hosts WHERE run_id = $1 AND position >= $2 AND position < $3 "
                            + "ORDER BY position").execute(Tuple.of(id, start, end))
                            .map(rows -> {
                                next.set(end);
                                return hostResults(rows);
                            });
                })
                .whilst(batch -> next.get() < to)
                .onItem().transformToIterable(batch -> batch);
    }

    private static List<RunViews.HostResult> hostResults(RowSet<Row> rows) {
        List<RunViews.HostResult> results = new ArrayList<>();
        for (Row h : rows) {
            results.add(new RunViews.HostResult(h.getString("platform"), h.getString("status"), h.getInteger("exit_code"),
                    Timestamps.of(h, "started_at"), Timestamps.of(h, "finished_at"), text(h.getBuffer("stdout")),
                    text(h.getBuffer("stderr")), h.getBoolean("truncated"), h.getString("error")));
        }
        return results;
    }

    /** A group's key: the hosts with one (exit code, stdout, stderr), and the first of them, whose output stands for all. */
    private record GroupKey(Integer exitCode, List<String> platforms, int first) {
    }

    /**
     * Hosts grouped by identical (exit code, stdout, stderr), largest group first. PostgreSQL groups
     * by a hash of the outputs (a generated column), so no output is read to group; each group's
     * output is then read from one of its hosts, a few groups at a time as the consumer asks, cut
     * at {@code maxBytes} per stream.
     */
    public Multi<RunViews.Group> groups(UUID id, int maxBytes) {
        Uni<List<GroupKey>> keys = pool.preparedQuery("SELECT exit_code, array_agg(platform ORDER BY position) AS platforms, "
                + "min(position) AS first FROM run_hosts WHERE run_id = $1 GROUP BY exit_code, output_hash "
                + "ORDER BY count(*) DESC, min(position)").execute(Tuple.of(id))
                .map(rows -> {
                    List<GroupKey> list = new ArrayList<>();
                    for (Row r : rows) {
                        list.add(new GroupKey(r.getInteger("exit_code"), List.of(r.getArrayOfStrings("platforms")),
                                r.getInteger("first")));
                    }
                    return list;
                });
        return keys.onItem().transformToMulti(list -> {
            List<List<GroupKey>> batches = new ArrayList<>();
            for (int i = 0; i < list.size(); i += STREAM_BATCH) {
                batches.add(list.subList(i, Math.min(list.size(), i + STREAM_BATCH)));
            }
            return Multi.createFrom().iterable(batches);
        }).onItem().transformToUniAndConcatenate(batch -> {
            Integer[] positions = batch.stream().map(GroupKey::first).toArray(Integer[]::new);
            return pool.preparedQuery("SELECT position, substring(stdout FROM 1 FOR $3) AS stdout, "
                    + "substring(stderr FROM 1 FOR $3) AS stderr FROM run_hosts WHERE run_id = $1 AND position = ANY($2)")
                    .execute(Tuple.of(id, positions, maxBytes))
                    .map(rows -> {
                        Map<Integer, Row> byPosition = new java.util.HashMap<>();
                        rows.forEach(r -> byPosition.put(r.getInteger("position"), r));
                        List<RunViews.Group> groups = new ArrayList<>();
                        for (GroupKey key : batch) {
                            Row r = byPosition.get(key.first());
                            groups.add(new RunViews.Group(key.exitCode(), r == null ? "" : text(r.getBuffer("stdout")),
                                    r == null ? "" : text(r.getBuffer("stderr")), key.platforms()));
                        }
                        return groups;
                    });
        }).onItem().transformToIterable(groups -> groups);
    }

    /** Runs of the last {@code window} by status. */
    public Uni<Map<String, Long>> countsSince(Duration window) {
        return pool.preparedQuery("SELECT status, count(*) AS n FROM runs WHERE created_at > now() - make_interval(secs => $1) "
                + "GROUP BY status").execute(Tuple.of(seconds(window)))
                .map(rows -> {
                    Map<String, Long> counts = new LinkedHashMap<>();
                    rows.forEach(r -> counts.put(r.getString("status"), r.getLong("n")));
                    return counts;
                });
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }


    private static String text(Buffer buffer) {
        return buffer == null ? "" : new String(buffer.getBytes(), StandardCharsets.UTF_8);
    }

    /** Runs removed per call of {@link #deleteFinishedBefore}: each may carry megabytes of output and thousands of events. */
    public static final int PRUNE_BATCH = 100;

    /** Removes up to {@link #PRUNE_BATCH} runs that finished before {@code before} (retention); answers how many. */
    public Uni<Integer> deleteFinishedBefore(Instant before) {
        return pool.preparedQuery("DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE finished_at < $1 "
                + "ORDER BY finished_at LIMIT $2)").execute(Tuple.of(before.atOffset(ZoneOffset.UTC), PRUNE_BATCH))
                .map(rows -> rows.rowCount());
    }

    /** {@code status} → how many runs created in the last 24 hours are in it; statuses without any are absent. */
    public Uni<Map<String, Long>> countByStatusLastDay() {
        return pool.query("SELECT status, count(*) FROM runs WHERE created_at > now() - " + "interval '24 hours' GROUP BY 1").execute().map(rows -> {
            Map<String, Long> counts = new HashMap<>();
            rows.forEach(r -> counts.put(r.getString(0), r.getLong(1)));
            return counts;
        });
    }
}

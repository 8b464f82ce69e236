package io.testum.gitops;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** GitOps sources, their status and their runs, in SQL. */
@ApplicationScoped
class SourceRepository {

    private static final String COLUMNS = "id, name, origin, url, branch, path, interval_seconds, prune, suspended, username, "
            + "token, credential, webhook_secret, host_key, ssh_host_key, last_fetched_revision, last_applied_revision, ready, reason, failures";

    private final Pool pool;

    SourceRepository(Pool pool) {
        this.pool = pool;
    }

    /** Whether the source named {@code name} says {@code drift: report}. */
    Uni<Boolean> driftReportOnly(String name) {
        return pool.preparedQuery("SELECT 1 FROM gitops_sources WHERE name = $1 AND drift = 'report'").execute(Tuple.of(name))
                .map(rows -> rows.iterator().hasNext());
    }

    /** What the source named {@code name} says about keys outside the managed block ({@code keep} for none). */
    Uni<io.testum.deploy.UnmanagedMode> unmanaged(String name) {
        return pool.preparedQuery("SELECT unmanaged FROM gitops_sources WHERE name = $1").execute(Tuple.of(name))
                .map(rows -> io.testum.deploy.UnmanagedMode.of(rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null));
    }

    public Uni<GitSource> find(String name) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM gitops_sources WHERE name = $1").execute(Tuple.of(name))
                .map(rows -> rows.iterator().hasNext() ? source(rows.iterator().next()) : null);
    }

    public Uni<List<GitSource>> all() {
        return all(pool);
    }

    /** Every source as {@code c} sees it, e.g. within the caller's transaction. */
    static Uni<List<GitSource>> all(SqlClient c) {
        return c.query("SELECT " + COLUMNS + " FROM gitops_sources ORDER BY name").execute().map(SourceRepository::sources);
    }

    /** Sources whose next attempt is due, not suspended. */
    public Uni<List<GitSource>> due() {
        return pool.query("SELECT " + COLUMNS + " FROM gitops_sources WHERE NOT suspended AND next_attempt_at <= now() "
                + "ORDER BY next_attempt_at").execute().map(SourceRepository::sources);
    }

    /**
     * The fields a source is made of; secrets already sealed (null leaves a stored secret as it is on
     * update). A new URL forgets the pinned host key: it may name another server.
     */
    public record Fields(String url, String branch, String path, Duration interval, boolean prune, boolean suspended,
            String username, byte[] token, String credential, byte[] webhookSecret, String hostKey) {
    }

    /** Creates or updates the source from configuration. */
    public Uni<Void> saveConfigSource(Fields f) {
        return pool.preparedQuery("INSERT INTO gitops_sources (name, origin, url, branch, path, interval_seconds, prune, "
                + "username, token, credential, webhook_secret, host_key) VALUES ($1, 'config', $2, $3, $4, $5, true, $6, $7, $8, "
                + "$9, $10) ON CONFLICT (name) DO UPDATE SET origin = 'config', url = EXCLUDED.url, branch = EXCLUDED.branch, "
                + "path = EXCLUDED.path, interval_seconds = EXCLUDED.interval_seconds, username = EXCLUDED.username, "
                + "token = EXCLUDED.token, credential = EXCLUDED.credential, webhook_secret = EXCLUDED.webhook_secret, "
                + "host_key = EXCLUDED.host_key, ssh_host_key = CASE WHEN gitops_sources.url = EXCLUDED.url "
                + "THEN gitops_sources.ssh_host_key END, updated_at = now()")
                .execute(Tuple.from(Arrays.asList(GitSource.DEFAULT, f.url(), f.branch(), f.path(), (int) f.interval().toSeconds(),
                        f.username(), f.token(), f.credential(), f.webhookSecret(), f.hostKey())))
                .replaceWithVoid();
    }

    public Uni<Void> deleteConfigSource() {
        return pool.preparedQuery("DELETE FROM gitops_sources WHERE name = $1 AND origin = 'config'")
                .execute(Tuple.of(GitSource.DEFAULT)).replaceWithVoid();
    }

    public Uni<Void> create(String name, Fields f) {
        return create(pool, name, f);
    }

    /** Creates a source made through the API within {@code c}, e.g. the caller's transaction. */
    static Uni<Void> create(SqlClient c, String name, Fields f) {
        return c.preparedQuery("INSERT INTO gitops_sources (name, origin, url, branch, path, interval_seconds, prune, "
                + "suspended, username, token, credential, webhook_secret, host_key) VALUES ($1, 'api', $2, $3, $4, $5, $6, $7, "
                + "$8, $9, $10, $11, $12)")
                .execute(Tuple.from(Arrays.asList(name, f.url(), f.branch(), f.path(), (int) f.interval().toSeconds(),
                        f.prune(), f.suspended(), f.username(), f.token(), f.credential(), f.webhookSecret(), f.hostKey())))
                .replaceWithVoid();
    }

    public Uni<Void> update(String name, Fields f) {
        return pool.preparedQuery("UPDATE gitops_sources SET url = $2, branch = $3, path = $4, interval_seconds = $5, "
                + "prune = $6, suspended = $7, username = $8, token = coalesce($9, token), credential = $10, "
                + "webhook_secret = coalesce($11, webhook_secret), host_key = $12, "
                + "ssh_host_key = CASE WHEN url = $2 THEN ssh_host_key END, "
                + "next_attempt_at = now(), updated_at = now() WHERE name = $1")
                .execute(Tuple.from(Arrays.asList(name, f.url(), f.branch(), f.path(), (int) f.interval().toSeconds(),
                        f.prune(), f.suspended(), f.username(), f.token(), f.credential(), f.webhookSecret(), f.hostKey())))
                .replaceWithVoid();
    }

    /** Forgets the stored token and/or webhook secret of a source made through the API. */
    public Uni<Void> clearSecrets(String name, boolean token, boolean webhookSecret) {
        return pool.preparedQuery("UPDATE gitops_sources SET token = CASE WHEN $2 THEN NULL ELSE token END, "
                + "webhook_secret = CASE WHEN $3 THEN NULL ELSE webhook_secret END, updated_at = now() "
                + "WHERE name = $1 AND origin = 'api'").execute(Tuple.of(name, token, webhookSecret)).replaceWithVoid();
    }

    public Uni<Void> setSuspended(String name, boolean suspended) {
        return pool.preparedQuery("UPDATE gitops_sources SET suspended = $2, next_attempt_at = now(), updated_at = now() "
                + "WHERE name = $1").execute(Tuple.of(name, suspended)).replaceWithVoid();
    }

    public Uni<Void> delete(String name) {
        return pool.preparedQuery("DELETE FROM gitops_sources WHERE name = $1").execute(Tuple.of(name)).replaceWithVoid();
    }

    public Uni<Void> pinSshHostKey(String name, String fingerprint) {
        return pool.preparedQuery("UPDATE gitops_sources SET ssh_host_key = $2 WHERE name = $1 AND ssh_host_key IS NULL")
                .execute(Tuple.of(name, fingerprint)).replaceWithVoid();
    }

    /**
     * A source's readiness after a run, as the run computed it once at its end.
     *
     * @param success       whether the run applied its revision ({@code last_success_at} moves)
     * @param nextAttemptIn when the scheduler tries the source again
     */
    public record Status(boolean ready, ReconcileReason reason, String message, String lastFetchedRevision,
            String lastAppliedRevision, List<Map<String, Object>> errors, Map<String, Object> plan, boolean success,
            int failures, Duration nextAttemptIn) {
    }

    /**
     * Records an attempt: its times always ({@code last_attempt_at}, {@code last_success_at},
     * {@code next_attempt_at}), the status itself ({@code ready}, {@code reason}, {@code message}, the
     * revisions, {@code errors}, {@code plan}, {@code failures}, and {@code updated_at}) only when it
     * differs from what is stored. A null revision or plan keeps the stored one.
     *
     * @return whether the status was written (it differed)
     */
    public Uni<Boolean> saveStatus(String name, Status s) {
        Uni<Void> attempt = pool.preparedQuery("UPDATE gitops_sources SET last_attempt_at = now(), "
                + "last_success_at = CASE WHEN $2 THEN now() ELSE last_success_at END, "
                + "next_attempt_at = now() + make_interval(secs => $3) WHERE name = $1")
                .execute(Tuple.of(name, s.success(), (double) s.nextAttemptIn().toMillis() / 1000)).replaceWithVoid();
        return attempt.flatMap(x -> pool.preparedQuery("UPDATE gitops_sources SET ready = $2, reason = $3, message = $4, "
                + "last_fetched_revision = coalesce($5, last_fetched_revision), "
                + "last_applied_revision = coalesce($6, last_applied_revision), errors = $7, plan = coalesce($8, plan), "
                + "failures = $9, updated_at = now() WHERE name = $1 AND (ready, reason, message, last_fetched_revision, "
                + "last_applied_revision, errors, plan, failures) IS DISTINCT FROM ($2, $3, $4, "
                + "coalesce($5, last_fetched_revision), coalesce($6, last_applied_revision), $7, coalesce($8, plan), $9)")
                .execute(Tuple.from(Arrays.asList(name, s.ready(), ReconcileReason.wireOf(s.reason()), s.message(),
                        s.lastFetchedRevision(), s.lastAppliedRevision(), new JsonArray(new ArrayList<>(s.errors())),
                        s.plan() == null ? null : new JsonObject(s.plan()), s.failures())))
                .map(rows -> rows.rowCount() > 0));
    }

    /** Records what the applied revision says about drift and unmanaged keys, when it says something new. */
    public Uni<Void> saveSettings(String name, DesiredDocument.Settings settings) {
        return pool.preparedQuery("UPDATE gitops_sources SET drift = $2, unmanaged = $3 WHERE name = $1 "
                + "AND (drift <> $2 OR unmanaged <> $3)")
                .execute(Tuple.of(name, settings.drift().name().toLowerCase(java.util.Locale.ROOT), settings.unmanaged().wire()))
                .replaceWithVoid();
    }

    /** Only moves the next attempt (an unchanged revision writes nothing else). */
    public Uni<Void> scheduleNext(String name, Duration in) {
        return pool.preparedQuery("UPDATE gitops_sources SET next_attempt_at = now() + make_interval(secs => $2) "
                + "WHERE name = $1").execute(Tuple.of(name, (double) in.toMillis() / 1000)).replaceWithVoid();
    }

    public Uni<Void> recordRun(RunResult run) {
        return pool.preparedQuery("INSERT INTO reconcile_runs (source, trigger, revision, result, reason, message, plan, errors, "
                + "duration_ms, started_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                .execute(Tuple.from(Arrays.asList(run.source(), run.trigger(), run.revision(), run.result().label(), ReconcileReason.wireOf(run.reason()),
                        run.message(), run.plan() == null ? null : new JsonObject(run.plan().toMap()),
                        new JsonArray(new ArrayList<>(run.errorMaps())), run.durationMillis(),
                        run.startedAt().atOffset(java.time.ZoneOffset.UTC))))
                .replaceWithVoid();
    }

    /** The stored status, for the API. */
    public Uni<Map<String, Object>> status(String name, int runs) {
        return pool.preparedQuery("SELECT ready, reason, message, last_fetched_revision, last_applied_revision, last_attempt_at, "
                + "last_success_at, errors, plan, suspended FROM gitops_sources WHERE name = $1").execute(Tuple.of(name))
                .flatMap(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().nullItem();
                    }
                    Row r = rows.iterator().next();
                    Map<String, Object> status = new java.util.LinkedHashMap<>();
                    status.put("ready", r.getBoolean("ready"));
                    status.put("reason", r.getString("reason"));
                    status.put("message", r.getString("message"));
                    status.put("last_fetched_revision", r.getString("last_fetched_revision"));
                    status.put("last_applied_revision", r.getString("last_applied_revision"));
                    status.put("last_attempt_at", instant(r, "last_attempt_at"));
                    status.put("last_success_at", instant(r, "last_success_at"));
                    status.put("suspended", r.getBoolean("suspended"));
                    status.put("errors", r.getJsonArray("errors") == null ? List.of() : r.getJsonArray("errors").getList());
                    status.put("plan", r.getJsonObject("plan") == null ? null : r.getJsonObject("plan").getMap());
                    return pool.preparedQuery("SELECT trigger, revision, result, reason, message, plan, duration_ms, started_at "
                            + "FROM reconcile_runs WHERE source = $1 ORDER BY id DESC LIMIT $2").execute(Tuple.of(name, runs))
                            .map(runRows -> {
                                List<Map<String, Object>> list = new ArrayList<>();
                                runRows.forEach(run -> {
                                    Map<String, Object> m = new java.util.LinkedHashMap<>();
                                    m.put("trigger", run.getString("trigger"));
                                    m.put("revision", run.getString("revision"));
                                    m.put("result", run.getString("result"));
                                    m.put("reason", run.getString("reason"));
                                    m.put("message", run.getString("message"));
                                    m.put("plan", run.getJsonObject("plan") == null ? null : run.getJsonObject("plan").getMap());
                                    m.put("duration_ms", run.getLong("duration_ms"));
                                    m.put("started_at", instant(run, "started_at"));
                                    list.add(m);
                                });
                                status.put("runs", list);
                                return status;
                            });
                });
    }

    private static String instant(Row row, String column) {
        var value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant().toString();
    }

    private static List<GitSource> sources(RowSet<Row> rows) {
        List<GitSource> list = new ArrayList<>();
        rows.forEach(r -> list.add(source(r)));
        return list;
    }

    private static GitSource source(Row r) {
        return new GitSource(r.getLong("id"), r.getString("name"), r.getString("origin"), r.getString("url"), r.getString("branch"),
                r.getString("path"), Duration.ofSeconds(r.getInteger("interval_seconds")), r.getBoolean("prune"),
                r.getBoolean("suspended"), r.getString("username"), bytes(r, "token"), r.getString("credential"),
                bytes(r, "webhook_secret"), r.getString("host_key"), r.getString("ssh_host_key"), r.getString("last_fetched_revision"),
                r.getString("last_applied_revision"), r.getBoolean("ready"), ReconcileReason.of(r.getString("reason")), r.getInteger("failures"));
    }

    private static byte[] bytes(Row r, String column) {
        var buffer = r.getBuffer(column);
        return buffer == null ? null : buffer.getBytes();
    }

    /** Every source's {@link SourceService.Summary}, by name. */
    public Uni<List<SourceService.Summary>> summaries() {
        return pool.query("SELECT name, ready, suspended, reason, last_fetched_revision, last_applied_revision, last_success_at "
                + "FROM gitops_sources ORDER BY name").execute().map(rows -> {
                    List<SourceService.Summary> list = new ArrayList<>();
                    for (Row r : rows) {
                        OffsetDateTime success = r.getOffsetDateTime("last_success_at");
                        list.add(new SourceService.Summary(r.getString("name"), r.getBoolean("ready"), r.getBoolean("suspended"),
                                r.getString("reason"), r.getString("last_fetched_revision"), r.getString("last_applied_revision"),
                                success == null ? null : success.toInstant()));
                    }
                    return list;
                });
    }
}

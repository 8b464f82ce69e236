package io.testum.schedules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.common.Rows;
import io.testum.common.Timestamps;
import io.testum.runs.RunRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The {@code schedules} table. */
@ApplicationScoped
class ScheduleRepository {

    private static final String COLUMNS = "name, cron, timezone, command, script, interpreter, args, env_names, env_sealed, "
            + "targets, timeout_seconds, concurrency, max_failures, misfire, enabled, next_fire_at, last_fired_at, last_error, source, source_revision";

    private final Pool pool;

    ScheduleRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * A stored schedule: its view and its sealed environment.
     *
     * @param revision the revision of the GitOps source that wrote it last; null for the API's
     */
    record Stored(ScheduleView view, byte[] envSealed, String revision) {
    }

    Uni<List<Stored>> all() {
        return all(pool);
    }

    /** Every schedule as {@code c} sees it, by name. */
    static Uni<List<Stored>> all(io.vertx.mutiny.sqlclient.SqlClient c) {
        return c.query("SELECT " + COLUMNS + " FROM schedules ORDER BY name").execute().map(rows -> {
            List<Stored> list = new ArrayList<>();
            rows.forEach(r -> list.add(stored(r)));
            return list;
        });
    }

    Uni<Stored> find(String name) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM schedules WHERE name = $1").execute(Tuple.of(name))
                .map(rows -> rows.iterator().hasNext() ? stored(rows.iterator().next()) : null);
    }

    /** Enabled schedules due at {@code now}, oldest due first. */
    Uni<List<Stored>> due(Instant now) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM schedules WHERE enabled AND next_fire_at <= $1 "
                + "ORDER BY next_fire_at, name").execute(Tuple.of(Timestamps.utc(now))).map(rows -> {
                    List<Stored> list = new ArrayList<>();
                    rows.forEach(r -> list.add(stored(r)));
                    return list;
                });
    }

    /** Inserts or, with {@code update}, replaces the schedule (an update that finds none answers false). */
    Uni<Boolean> save(ScheduleView s, byte[] envSealed, boolean update) {
        Tuple t = Tuple.tuple().addValue(s.name()).addValue(s.cron()).addValue(s.timezone()).addValue(s.command())
                .addValue(s.script()).addValue(s.interpreter()).addValue(s.args() == null ? null : new JsonArray(s.args()))
                .addValue(new JsonArray(s.env())).addValue(envSealed == null ? null : io.vertx.core.buffer.Buffer.buffer(envSealed))
                .addValue(targets(s.targets())).addValue(s.timeoutSeconds()).addValue(s.concurrency()).addValue(s.maxFailures())
                .addValue(s.misfire()).addValue(s.enabled()).addValue(Timestamps.utc(s.nextFireAt())).addValue(s.source());
        String sql = update
                ? "UPDATE schedules SET cron = $2, timezone = $3, command = $4, script = $5, interpreter = $6, args = $7, "
                        + "env_names = $8, env_sealed = $9, targets = $10, timeout_seconds = $11, concurrency = $12, "
                        + "max_failures = $13, misfire = $14, enabled = $15, next_fire_at = $16, last_error = NULL, "
                        + "updated_at = now() WHERE name = $1 AND source = $17"
                : "INSERT INTO schedules (name, cron, timezone, command, script, interpreter, args, env_names, env_sealed, targets, "
                        + "timeout_seconds, concurrency, max_failures, misfire, enabled, next_fire_at, source) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) "
                        + "ON CONFLICT (name) DO NOTHING";
        return pool.preparedQuery(sql).execute(t).map(rows -> rows.rowCount() == 1);
    }

    Uni<Boolean> delete(String name) {
        return pool.preparedQuery("DELETE FROM schedules WHERE name = $1 AND source = 'api'").execute(Tuple.of(name))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Moves a schedule past its due time {@code due} to {@code next}, noting the firing: only if
     * its due time is still {@code due}, so that two looks at the same firing advance it once.
     */
    Uni<Boolean> advance(String name, Instant due, Instant next, Instant fired, String error) {
        return pool.preparedQuery("UPDATE schedules SET next_fire_at = $3, last_fired_at = coalesce($4, last_fired_at), "
                + "last_error = $5 WHERE name = $1 AND next_fire_at = $2")
                .execute(Tuple.of(name, Timestamps.utc(due), Timestamps.utc(next), Timestamps.utc(fired), error)).map(rows -> rows.rowCount() == 1);
    }

    static Stored stored(Row r) {
        var sealed = r.getBuffer("env_sealed");
        return new Stored(new ScheduleView(r.getString("name"), r.getString("cron"), r.getString("timezone"),
                r.getString("command"), r.getString("script"), r.getString("interpreter"),
                r.getString("script") == null ? null : Rows.strings(r.getJsonArray("args")), Rows.strings(r.getJsonArray("env_names")),
                targets(r.getJsonObject("targets")), r.getInteger("timeout_seconds"), r.getInteger("concurrency"),
                r.getInteger("max_failures"), r.getString("misfire"), r.getBoolean("enabled"), Timestamps.of(r, "next_fire_at"),
                Timestamps.of(r, "last_fired_at"), r.getString("last_error"), r.getString("source")),
                sealed == null ? null : sealed.getBytes(), r.getString("source_revision"));
    }

    static JsonObject targets(RunRequest.Targets t) {
        JsonObject json = new JsonObject();
        if (t != null && t.platforms() != null) {
            json.put("platforms", new JsonArray(t.platforms()));
        }
        if (t != null && t.selector() != null) {
            json.put("selector", new JsonObject(Map.copyOf(t.selector())));
        }
        return json;
    }

    private static RunRequest.Targets targets(JsonObject json) {
        List<String> platforms = json.containsKey("platforms") ? Rows.strings(json.getJsonArray("platforms")) : null;
        Map<String, String> selector = null;
        if (json.containsKey("selector")) {
            Map<String, String> m = new java.util.LinkedHashMap<>();
            json.getJsonObject("selector").forEach(e -> m.put(e.getKey(), (String) e.getValue()));
            selector = m;
        }
        return new RunRequest.Targets(platforms, selector);
    }
}

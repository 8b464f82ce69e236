package io.testum.schedules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.smallrye.mutiny.Uni;
import io.testum.common.Timestamps;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The schedules as a GitOps apply reads and writes them, inside the apply's transaction: every
 * schedule with its owner, and the batched writes of one source. A source never overwrites a
 * schedule the API or another source holds. A Git-managed schedule has no environment.
 */
public final class ScheduleDirectory {

    private ScheduleDirectory() {
    }

    /**
     * A schedule as stored, with its owner.
     *
     * @param revision the revision of the source that wrote it last; null for the API's
     */
    public record Stored(ScheduleView view, String revision) {
    }

    /**
     * {@code request} (already checked, see {@link ScheduleChecks}) in the form it would be stored in,
     * defaults filled in, without due times: what a document's schedule is compared by.
     */
    public static ScheduleView normalized(ScheduleRequest request, String source) {
        return ScheduleService.view(request.name(), request, null, source);
    }

    /** Every schedule as {@code c} sees it. */
    public static Uni<List<Stored>> stored(SqlClient c) {
        return ScheduleRepository.all(c).map(all -> all.stream().map(s -> new Stored(s.view(), s.revision())).toList());
    }

    /**
     * Inserts or replaces {@code requests} as {@code source} at {@code revision}, in one batch, each due
     * next after {@code now}. A row that another owner holds is left alone (see {@link #foreignOwners}).
     */
    public static Uni<Void> upsert(SqlClient c, List<ScheduleRequest> requests, String source, String revision, Instant now) {
        if (requests.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> tuples = new ArrayList<>();
        for (ScheduleRequest r : requests) {
            ScheduleView s = ScheduleService.view(r.name(), r, now, source);
            tuples.add(Tuple.tuple().addValue(s.name()).addValue(s.cron()).addValue(s.timezone()).addValue(s.command())
                    .addValue(s.script()).addValue(s.interpreter()).addValue(s.args() == null ? null : new JsonArray(s.args()))
                    .addValue(ScheduleRepository.targets(s.targets())).addValue(s.timeoutSeconds()).addValue(s.concurrency())
                    .addValue(s.maxFailures()).addValue(s.misfire()).addValue(s.enabled()).addValue(Timestamps.utc(s.nextFireAt()))
                    .addValue(source).addValue(revision));
        }
        return c.preparedQuery("INSERT INTO schedules (name, cron, timezone, command, script, interpreter, args, targets, "
                + "timeout_seconds, concurrency, max_failures, misfire, enabled, next_fire_at, source, source_revision) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) "
                + "ON CONFLICT (name) DO UPDATE SET cron = EXCLUDED.cron, timezone = EXCLUDED.timezone, "
                + "command = EXCLUDED.command, script = EXCLUDED.script, interpreter = EXCLUDED.interpreter, args = EXCLUDED.args, "
                + "env_names = '[]', env_sealed = NULL, targets = EXCLUDED.targets, timeout_seconds = EXCLUDED.timeout_seconds, "
                + "concurrency = EXCLUDED.concurrency, max_failures = EXCLUDED.max_failures, misfire = EXCLUDED.misfire, "
                + "enabled = EXCLUDED.enabled, next_fire_at = EXCLUDED.next_fire_at, last_error = NULL, "
                + "source_revision = EXCLUDED.source_revision, updated_at = now() "
                + "WHERE schedules.source = EXCLUDED.source").executeBatch(tuples).replaceWithVoid();
    }

    /** Deletes the schedules named {@code names} that {@code source} owns. */
    public static Uni<Void> deleteOwned(SqlClient c, Set<String> names, String source) {
        if (names.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return c.preparedQuery("DELETE FROM schedules WHERE name = ANY($1) AND source = $2")
                .execute(Tuple.of(names.toArray(String[]::new), source)).replaceWithVoid();
    }

    /** Of the schedules named {@code names}, those another owner than {@code source} holds: name to owner, at most 20. */
    public static Uni<Map<String, String>> foreignOwners(SqlClient c, Set<String> names, String source) {
        if (names.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return c.preparedQuery("SELECT name, source FROM schedules WHERE name = ANY($1) AND source <> $2 ORDER BY name LIMIT 20")
                .execute(Tuple.of(names.toArray(String[]::new), source)).map(rows -> {
                    Map<String, String> owners = new LinkedHashMap<>();
                    rows.forEach(r -> owners.put(r.getString("name"), r.getString("source")));
                    return owners;
                });
    }
}

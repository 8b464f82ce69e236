package io.testum.stats;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.deploy.DeploymentStatus;
import io.testum.inventory.Reachability;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

/** Counts over the whole inventory, each one query. */
@ApplicationScoped
public class FleetStatsRepository {

    static final List<String> REACHABILITY = Reachability.words();
    static final List<String> DEPLOYMENT_STATUSES = DeploymentStatus.words();
    static final List<String> RUN_STATUSES = List.of("queued", "running", "succeeded", "failed", "canceled", "timed_out");

    private final Pool pool;

    public FleetStatsRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<FleetStats> stats() {
        Uni<Map<String, Long>> reachability = counts("SELECT reachability AS k, count(*) AS n FROM platforms GROUP BY 1",
                REACHABILITY);
        Uni<Map<String, Long>> runs = counts("SELECT status AS k, count(*) AS n FROM runs WHERE created_at > now() - "
                + "interval '24 hours' GROUP BY 1", RUN_STATUSES);
        Uni<List<FleetStats.SourceState>> sources = pool.query("SELECT name, ready, suspended, reason, "
                + "last_fetched_revision, last_applied_revision, last_success_at FROM gitops_sources ORDER BY name").execute()
                .map(rows -> {
                    List<FleetStats.SourceState> list = new ArrayList<>();
                    for (Row r : rows) {
                        OffsetDateTime success = r.getOffsetDateTime("last_success_at");
                        list.add(new FleetStats.SourceState(r.getString("name"), r.getBoolean("ready"),
                                r.getBoolean("suspended"), r.getString("reason"), r.getString("last_fetched_revision"),
                                r.getString("last_applied_revision"), success == null ? null : success.toInstant()));
                    }
                    return list;
                });
        return Uni.combine().all().unis(reachability, deployments(), runs, sources).asTuple()
                .map(t -> new FleetStats(new FleetStats.Platforms(t.getItem1().values().stream().mapToLong(Long::longValue).sum(),
                        t.getItem1()), t.getItem2(), t.getItem3(), t.getItem4(), Instant.now()));
    }

    /** Deployments ((platform, account) pairs) by status, every status present, zero when none. */
    public Uni<Map<String, Long>> deployments() {
        return counts("SELECT status AS k, count(*) AS n FROM deployments GROUP BY 1", DEPLOYMENT_STATUSES);
    }

    private Uni<Map<String, Long>> counts(String sql, List<String> keys) {
        return pool.query(sql).execute().map(rows -> counts(rows, keys));
    }

    private static Map<String, Long> counts(RowSet<Row> rows, List<String> keys) {
        Map<String, Long> counts = new LinkedHashMap<>();
        keys.forEach(k -> counts.put(k, 0L));
        for (Row r : rows) {
            counts.put(r.getString("k"), r.getLong("n"));
        }
        return counts;
    }
}

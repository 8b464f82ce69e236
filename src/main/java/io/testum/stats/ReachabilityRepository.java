package io.testum.stats;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.inventory.Reachability;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The reachability columns of {@code platforms}, in SQL. Recording a check changes neither the
 * platform's version nor its {@code updated_at}: it is an observation, not an edit.
 */
@ApplicationScoped
class ReachabilityRepository {

    private final Pool pool;

    ReachabilityRepository(Pool pool) {
        this.pool = pool;
    }

    /** Where a platform's SSH server should answer. */
    record Target(long id, String name, String host, int port) {
    }

    /** One platform's check, to record. */
    record Check(Target target, ReachabilityProbe.Result result, Instant checkedAt) {
    }

    Uni<List<Target>> targets() {
        return pool.query("SELECT id, name, host, port FROM platforms ORDER BY name").execute()
                .map(rows -> StreamSupport.stream(rows.spliterator(), false)
                        .map(r -> new Target(r.getLong("id"), r.getString("name"), r.getString("host"), r.getInteger("port")))
                        .toList());
    }

    /**
     * Stores the checks in one batch. A platform whose host or port changed while it was checked
     * keeps its row as it is: the check was about the old address.
     */
    Uni<Void> record(List<Check> checks) {
        if (checks.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = checks.stream().map(c -> Tuple.from(Arrays.asList(c.target().id(), c.target().host(),
                c.target().port(), (c.result().reachable() ? Reachability.REACHABLE : Reachability.UNREACHABLE).wire(), c.result().latencyMs(),
                c.result().error(), c.checkedAt().atOffset(ZoneOffset.UTC)))).toList();
        return pool.preparedQuery("UPDATE platforms SET reachability = $4, latency_ms = $5, reachability_error = $6, "
                + "reachability_checked_at = $7, last_seen_at = CASE WHEN $4 = 'reachable' THEN $7 ELSE last_seen_at END "
                + "WHERE id = $1 AND host = $2 AND port = $3").executeBatch(rows).replaceWithVoid();
    }
}

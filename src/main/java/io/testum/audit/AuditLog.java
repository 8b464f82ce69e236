package io.testum.audit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The append-only audit log. This class inserts and reads; the only removal is {@link #prune}
 * of entries older than the audit retention (never younger than 30 days, which the database
 * enforces), itself recorded as an entry. A database trigger refuses any other change or removal.
 */
@ApplicationScoped
public class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);
    private static final int EXPORT_BATCH = 500;
    private static final String COLUMNS = "id, at, actor, action, target, outcome, client_address, details";

    private final Pool pool;

    public AuditLog(Pool pool) {
        this.pool = pool;
    }

    /** What to find: every field optional. */
    public record Filter(String actor, String action, String target, Instant from, Instant to) {
    }

    /** Adds an entry. A failure is logged, not thrown: the call it records has already happened. */
    public Uni<Void> record(AuditEntry entry) {
        return pool.preparedQuery("INSERT INTO audit_log (actor, action, target, outcome, client_address, details) "
                + "VALUES ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.from(java.util.Arrays.asList(entry.actor(), entry.action(), entry.target(), entry.outcome(),
                        entry.clientAddress(), entry.details() == null ? null : new JsonObject(entry.details()))))
                .replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    LOG.errorf("Could not write the audit entry for %s by %s: %s", entry.action(), entry.actor(), e.getMessage());
                    return Uni.createFrom().voidItem();
                });
    }

    /**
     * Removes the entries older than {@code before} through the database's {@code prune_audit_log},
     * which refuses a cutoff younger than 30 days, and records that it did (action
     * {@code audit.prune}, with the cutoff and the count). Answers how many went.
     */
    public Uni<Long> prune(Instant before) {
        return pool.preparedQuery("SELECT prune_audit_log($1)").execute(Tuple.of(before.atOffset(java.time.ZoneOffset.UTC)))
                .map(rows -> rows.iterator().next().getLong(0))
                .call(removed -> removed == 0 ? Uni.createFrom().voidItem()
                        : record(new AuditEntry(null, null, "testum", "audit.prune", "audit_log", "success", null,
                                java.util.Map.of("before", before.toString(), "removed", removed))));
    }

    /** Newest first. */
    public Uni<Page<AuditEntry>> list(Filter filter, PageRequest page) {
        Query where = where(filter);
        return pool.preparedQuery("SELECT count(*) FROM audit_log" + where.sql()).execute(where.params())
                .map(rows -> rows.iterator().next().getLong(0))
                .flatMap(total -> {
                    Tuple params = where.params();
                    int n = params.size();
                    params.addInteger(page.size()).addInteger(page.offset());
                    return pool.preparedQuery("SELECT " + COLUMNS + " FROM audit_log" + where.sql()
                            + " ORDER BY id DESC LIMIT $" + (n + 1) + " OFFSET $" + (n + 2)).execute(params)
                            .map(rows -> new Page<>(entries(rows), total, page.page(), page.size()));
                });
    }

    /** Every matching entry, oldest first, read in batches so memory stays flat however long the log is. */
    public Multi<AuditEntry> stream(Filter filter) {
        AtomicLong after = new AtomicLong(0);
        return Multi.createBy().repeating()
                .uni(() -> {
                    Query where = where(filter).and("id > ", after.get());
                    Tuple params = where.params();
                    return pool.preparedQuery("SELECT " + COLUMNS + " FROM audit_log" + where.sql()
                            + " ORDER BY id LIMIT " + EXPORT_BATCH).execute(params).map(AuditLog::entries);
                })
                .whilst(batch -> {
                    if (!batch.isEmpty()) {
                        after.set(batch.get(batch.size() - 1).id());
                    }
                    return batch.size() == EXPORT_BATCH;
                })
                .onItem().transformToIterable(batch -> batch);
    }

    private static Query where(Filter filter) {
        Query query = new Query("", Tuple.tuple());
        if (filter.actor() != null) {
            query = query.and("actor = ", filter.actor());
        }
        if (filter.action() != null) {
            query = query.and("action = ", filter.action());
        }
        if (filter.target() != null) {
            query = query.and("target = ", filter.target());
        }
        if (filter.from() != null) {
            query = query.and("at >= ", filter.from().atOffset(ZoneOffset.UTC));
        }
        if (filter.to() != null) {
            query = query.and("at < ", filter.to().atOffset(ZoneOffset.UTC));
        }
        return query;
    }

    private record Query(String sql, Tuple params) {
        Query and(String condition, Object value) {
            Tuple copy = Tuple.tuple();
            for (int i = 0; i < params.size(); i++) {
                copy.addValue(params.getValue(i));
            }
            copy.addValue(value);
            return new Query(sql + (sql.isEmpty() ? " WHERE " : " AND ") + condition + "$" + copy.size(), copy);
        }
    }

    private static List<AuditEntry> entries(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<AuditEntry> entries = new ArrayList<>();
        rows.forEach(row -> {
            JsonObject details = row.getJsonObject("details");
            entries.add(new AuditEntry(row.getLong("id"), row.getOffsetDateTime("at").toInstant(), row.getString("actor"),
                    row.getString("action"), row.getString("target"), row.getString("outcome"),
                    row.getString("client_address"), details == null ? null : details.getMap()));
        });
        return entries;
    }
}

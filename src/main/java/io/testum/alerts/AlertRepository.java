package io.testum.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Rows;
import io.testum.common.Timestamps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The {@code alerts}, {@code alert_states} and {@code alert_deliveries} tables. */
@ApplicationScoped
class AlertRepository {

    private static final String COLUMNS = "name, type, url_sealed, url_shown, secret_sealed, events, selector, enabled, source, "
            + "source_revision, url_digest IS NOT NULL AS url_in_document";
    /** An alert of {@code y} that can send: it has its URL and, as a webhook, its signing secret. */
    private static final String READY = "y.enabled AND y.url_sealed IS NOT NULL AND (y.type = 'slack' OR y.secret_sealed IS NOT NULL)";

    private final Pool pool;

    AlertRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * A stored alert: its view and its sealed URL and secret (each null while the alert waits for it).
     *
     * @param revision      the revision of the source that wrote it last; null for the API's
     * @param urlInDocument whether its URL is the one a GitOps document gives
     */
    record Stored(AlertView view, byte[] urlSealed, byte[] secretSealed, String revision, boolean urlInDocument) {
    }

    /** A delivery claimed for one try, with what it takes to send it. */
    record Claimed(long id, String alert, AlertType type, byte[] urlSealed, byte[] secretSealed, UUID eventId, String event,
            JsonObject payload, int attempts) {
    }

    Uni<List<Stored>> all() {
        return pool.query("SELECT " + COLUMNS + " FROM alerts ORDER BY name").execute().map(rows -> Rows.list(rows, AlertRepository::stored));
    }

    Uni<Stored> find(String name) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM alerts WHERE name = $1").execute(Tuple.of(name))
                .map(rows -> Rows.first(rows, AlertRepository::stored));
    }

    /** Inserts or, with {@code update}, replaces the alert (answers false when it exists, or for an update, when it does not). */
    Uni<Boolean> save(AlertView a, byte[] urlSealed, byte[] secretSealed, boolean update) {
        Tuple t = Tuple.tuple().addValue(a.name()).addValue(a.type()).addValue(urlSealed == null ? null : Buffer.buffer(urlSealed))
                .addValue(a.url())
                .addValue(secretSealed == null ? null : Buffer.buffer(secretSealed)).addValue(new JsonArray(a.events()))
                .addValue(new JsonObject(new LinkedHashMap<String, Object>(a.selector()))).addValue(a.enabled()).addValue(a.source());
        String sql = update
                ? "UPDATE alerts SET type = $2, url_sealed = $3, url_shown = $4, secret_sealed = $5, events = $6, selector = $7, "
                        + "enabled = $8, updated_at = now() WHERE name = $1 AND source = $9"
                : "INSERT INTO alerts (name, type, url_sealed, url_shown, secret_sealed, events, selector, enabled, source) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (name) DO NOTHING";
        Uni<Boolean> saved = pool.preparedQuery(sql).execute(t).map(rows -> rows.rowCount() == 1);
        return a.enabled() ? saved : saved.call(x -> abandon(a.name(), "the alert was disabled before this was sent"));
    }

    Uni<Boolean> delete(String name) {
        return pool.preparedQuery("DELETE FROM alerts WHERE name = $1 AND source = 'api'").execute(Tuple.of(name))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Marks the alert's pending deliveries failed with {@code reason}. */
    private Uni<Void> abandon(String alert, String reason) {
        return pool.preparedQuery("UPDATE alert_deliveries SET status = 'failed', last_error = $2, finished_at = now() "
                + "WHERE alert = $1 AND status = 'pending'").execute(Tuple.of(alert, reason)).replaceWithVoid();
    }

    /**
     * In one transaction: whether {@code occurrence} changes its subject's state (one-off events
     * always do), and if it does, a delivery for each of {@code alerts}. Answers how many were queued.
     * Two replicas that observe the same change queue it once: the state row decides.
     */
    Uni<Integer> record(Occurrence occurrence, UUID eventId, List<String> alerts, JsonObject payload) {
        return pool.withTransaction(c -> changes(c, occurrence).flatMap(changed -> {
            if (!changed || alerts.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            List<Tuple> rows = alerts.stream().map(a -> Tuple.of(a, eventId, occurrence.event().wire(), occurrence.subject(),
                    payload)).toList();
            return c.preparedQuery("INSERT INTO alert_deliveries (alert, event_id, event, subject, payload) "
                    + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (alert, event_id) DO NOTHING").executeBatch(rows)
                    .replaceWith(alerts.size());
        }));
    }

    private static Uni<Boolean> changes(SqlClient c, Occurrence o) {
        if (o.event().oneOff()) {
            return Uni.createFrom().item(true);
        }
        if (o.event().recovery()) {
            return c.preparedQuery("DELETE FROM alert_states WHERE subject = $1").execute(Tuple.of(o.subject()))
                    .map(rows -> rows.rowCount() > 0);
        }
        return c.preparedQuery("INSERT INTO alert_states (subject, event) VALUES ($1, $2) ON CONFLICT (subject) DO UPDATE "
                + "SET event = EXCLUDED.event, changed_at = now() WHERE alert_states.event <> EXCLUDED.event")
                .execute(Tuple.of(o.subject(), o.event().wire())).map(rows -> rows.rowCount() > 0);
    }

    /**
     * Takes up to {@code limit} due deliveries of enabled alerts for one try each: their next try
     * moves {@code lease} ahead (so that a sender that dies mid-try leaves them to be tried again)
     * and their attempts count up. Rows another sender holds are skipped.
     */
    Uni<List<Claimed>> claim(int limit, Duration lease) {
        return pool.preparedQuery("UPDATE alert_deliveries d SET attempts = d.attempts + 1, "
                + "next_attempt_at = now() + make_interval(secs => $2) FROM alerts a WHERE a.name = d.alert AND d.id IN ("
                + "SELECT x.id FROM alert_deliveries x JOIN alerts y ON y.name = x.alert WHERE x.status = 'pending' AND " + READY
                + " AND x.next_attempt_at <= now() ORDER BY x.next_attempt_at, x.id LIMIT $1 FOR UPDATE OF x SKIP LOCKED) "
                + "RETURNING d.id, d.alert, a.type, a.url_sealed, a.secret_sealed, d.event_id, d.event, d.payload, d.attempts")
                .execute(Tuple.of(limit, (double) lease.toMillis() / 1000))
                .map(rows -> Rows.list(rows, r -> new Claimed(r.getLong("id"), r.getString("alert"), AlertType.of(r.getString("type")),
                        r.getBuffer("url_sealed").getBytes(), r.getBuffer("secret_sealed") == null ? null : r.getBuffer("secret_sealed").getBytes(),
                        r.getUUID("event_id"), r.getString("event"), r.getJsonObject("payload"), r.getInteger("attempts"))));
    }

    /** Records how a try went: delivered, failed for good, or (with {@code retryAt}) pending until then. */
    Uni<Void> tried(long id, String status, Integer httpStatus, String error, Instant retryAt) {
        return pool.preparedQuery("UPDATE alert_deliveries SET status = $2, last_http_status = $3, last_error = $4, "
                + "next_attempt_at = coalesce($5, next_attempt_at), "
                + "finished_at = CASE WHEN $2 = 'pending' THEN NULL ELSE now() END WHERE id = $1")
                .execute(Tuple.from(java.util.Arrays.asList(id, status, httpStatus, error, Timestamps.utc(retryAt))))
                .replaceWithVoid();
    }

    /** When the earliest pending delivery of an enabled alert is due, if any is. */
    Uni<Instant> nextDue() {
        return pool.query("SELECT min(d.next_attempt_at) FROM alert_deliveries d JOIN alerts y ON y.name = d.alert "
                + "WHERE d.status = 'pending' AND " + READY).execute()
                .map(rows -> Rows.first(rows, r -> r.getOffsetDateTime(0) == null ? null : r.getOffsetDateTime(0).toInstant()));
    }

    /** The alert's deliveries, newest first. */
    Uni<Page<DeliveryView>> deliveries(String alert, PageRequest page) {
        return pool.preparedQuery("SELECT count(*) FROM alert_deliveries WHERE alert = $1").execute(Tuple.of(alert))
                .map(rows -> rows.iterator().next().getLong(0))
                .flatMap(total -> pool.preparedQuery("SELECT id, payload ->> 'occurred_at' AS occurred_at, event, subject, event_id, "
                        + "status, attempts, last_http_status, last_error, next_attempt_at, finished_at FROM alert_deliveries "
                        + "WHERE alert = $1 ORDER BY id DESC LIMIT $2 OFFSET $3")
                        .execute(Tuple.of(alert, page.size(), page.offset()))
                        .map(rows -> new Page<>(Rows.list(rows, r -> new DeliveryView(r.getLong("id"),
                                Instant.parse(r.getString("occurred_at")), r.getString("event"), r.getString("subject"),
                                r.getUUID("event_id").toString(), r.getString("status"), r.getInteger("attempts"),
                                r.getInteger("last_http_status"), r.getString("last_error"),
                                "pending".equals(r.getString("status")) ? Timestamps.of(r, "next_attempt_at") : null,
                                Timestamps.of(r, "finished_at"))), total, page.page(), page.size())));
    }

    /** Removes delivered and failed deliveries that finished before {@code before}; answers how many went. */
    Uni<Long> prune(Instant before) {
        return pool.preparedQuery("DELETE FROM alert_deliveries WHERE finished_at < $1").execute(Tuple.of(Timestamps.utc(before)))
                .map(rows -> (long) rows.rowCount());
    }

    private static Stored stored(Row r) {
        Map<String, String> selector = new LinkedHashMap<>();
        r.getJsonObject("selector").forEach(e -> selector.put(e.getKey(), String.valueOf(e.getValue())));
        var secret = r.getBuffer("secret_sealed");
        var url = r.getBuffer("url_sealed");
        return new Stored(AlertView.of(r.getString("name"), r.getString("type"), r.getString("url_shown"), secret != null,
                Rows.strings(r.getJsonArray("events")), selector, r.getBoolean("enabled"), r.getString("source")),
                url == null ? null : url.getBytes(), secret == null ? null : secret.getBytes(), r.getString("source_revision"),
                r.getBoolean("url_in_document"));
    }
}

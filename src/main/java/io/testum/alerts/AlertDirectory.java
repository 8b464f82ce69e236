package io.testum.alerts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.common.Rows;
import io.testum.common.Violations;
import io.testum.inventory.Labels;
import io.testum.secrets.SecretCipher;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The alerts as a GitOps apply reads and writes them, inside the apply's transaction. A document
 * never carries a signing secret, and may leave out the URL (a Slack URL is its own secret): the
 * alert then waits for what is missing, which only the API sets ({@code PUT /api/alerts/{name}}),
 * and sends nothing until it has it. A URL the document gives is sealed like one sent through the
 * API; beside it is its SHA-256, so that an unchanged document is seen as unchanged without opening
 * the sealed value. A source never overwrites an alert the API or another source holds.
 */
@ApplicationScoped
public class AlertDirectory {

    private final SecretCipher cipher;
    private final AlertsConfig config;

    AlertDirectory(SecretCipher cipher, AlertsConfig config) {
        this.cipher = cipher;
        this.config = config;
    }

    /**
     * An alert as a document declares it, and as it is compared.
     *
     * @param urlDigest SHA-256 of the URL the document gives ({@link #digest}); null when it gives none
     */
    public record Spec(String name, String type, String urlDigest, List<String> events, Map<String, String> selector,
            boolean enabled) {
    }

    /** An alert as stored: its spec (the digest of a URL a source wrote, else null), owner and revision. */
    public record Stored(Spec spec, String source, String revision) {
    }

    /** A document's alert to write: its spec and the URL it gives (null when none). */
    public record Write(Spec spec, String url) {

        @Override
        public String toString() {
            return "Write[" + spec + "]";
        }
    }

    /**
     * What can be checked of a document's alert without configuration, each problem by field:
     * the type, the events, the selector's labels.
     */
    public static void checkEntry(String type, List<String> events, Map<String, String> selector, Violations v) {
        v.check(type != null, "type", "is required: webhook or slack");
        if (type != null) {
            v.check(AlertType.of(type) != null, "type", "must be webhook or slack");
        }
        if (events == null || events.isEmpty()) {
            v.add("events", "is required: one or more of " + String.join(", ", AlertEvent.words()));
        } else {
            for (int i = 0; i < events.size(); i++) {
                if (AlertEvent.of(events.get(i)) == null) {
                    v.add("events[" + i + "]", "'" + events.get(i) + "' is not an event; use one of "
                            + String.join(", ", AlertEvent.words()));
                }
            }
        }
        Labels.check(selector == null ? Map.of() : selector, "selector", v);
    }

    /** The rule that depends on configuration: where a URL may point ({@code testum.alerts.allow-private-targets}). */
    public void checkUrl(String url, Violations v) {
        if (url != null) {
            String problem = AlertTargets.problem(url, config.allowPrivateTargets());
            if (problem != null) {
                v.add("url", problem);
            }
        }
    }

    /** {@code url}'s SHA-256 in hex, as a document's URL is compared; null for null. */
    public static String digest(String url) {
        if (url == null) {
            return null;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(url.strip().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A document's alert in its compared form: events in order without repeats, the selector sorted. */
    public static Spec spec(String name, String type, String url, List<String> events, Map<String, String> selector,
            Boolean enabled) {
        return new Spec(name, type, digest(url), List.copyOf(new java.util.LinkedHashSet<>(events)),
                selector == null ? Map.of() : new java.util.TreeMap<>(selector), enabled == null || enabled);
    }

    /** Every alert as {@code c} sees it. */
    public static Uni<List<Stored>> stored(SqlClient c) {
        return c.query("SELECT name, type, url_digest, events, selector, enabled, source, source_revision FROM alerts").execute()
                .map(rows -> Rows.list(rows, r -> {
                    Map<String, String> selector = new java.util.TreeMap<>();
                    r.getJsonObject("selector").forEach(e -> selector.put(e.getKey(), String.valueOf(e.getValue())));
                    return new Stored(new Spec(r.getString("name"), r.getString("type"), r.getString("url_digest"),
                            Rows.strings(r.getJsonArray("events")), selector, r.getBoolean("enabled")), r.getString("source"),
                            r.getString("source_revision"));
                }));
    }

    /**
     * Inserts or replaces {@code writes} as {@code source} at {@code revision}, in one batch. A URL the
     * document gives replaces the stored one; without one, a URL the API sent stays, and one a document
     * gave before is removed. The signing secret stays while the alert stays a webhook. A row that
     * another owner holds is left alone (see {@link #foreignOwners}).
     */
    public Uni<Void> upsert(SqlClient c, List<Write> writes, String source, String revision) {
        if (writes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> tuples = new ArrayList<>();
        for (Write w : writes) {
            Spec s = w.spec();
            byte[] sealed = w.url() == null ? null : cipher.encrypt(w.url().strip(), AlertService.urlPurpose(s.name()));
            tuples.add(Tuple.tuple().addValue(s.name()).addValue(s.type()).addValue(sealed == null ? null : Buffer.buffer(sealed))
                    .addValue(w.url() == null ? null : AlertTargets.shown(w.url())).addValue(s.urlDigest())
                    .addValue(new JsonArray(s.events())).addValue(new JsonObject(new LinkedHashMap<String, Object>(s.selector())))
                    .addValue(s.enabled()).addValue(source).addValue(revision));
        }
        return c.preparedQuery("INSERT INTO alerts (name, type, url_sealed, url_shown, url_digest, events, selector, enabled, "
                + "source, source_revision) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
                + "ON CONFLICT (name) DO UPDATE SET type = EXCLUDED.type, "
                + "url_sealed = CASE WHEN EXCLUDED.url_digest IS NOT NULL THEN EXCLUDED.url_sealed "
                + "WHEN alerts.url_digest IS NOT NULL THEN NULL ELSE alerts.url_sealed END, "
                + "url_shown = CASE WHEN EXCLUDED.url_digest IS NOT NULL THEN EXCLUDED.url_shown "
                + "WHEN alerts.url_digest IS NOT NULL THEN NULL ELSE alerts.url_shown END, "
                + "url_digest = EXCLUDED.url_digest, "
                + "secret_sealed = CASE WHEN EXCLUDED.type = 'webhook' AND alerts.type = 'webhook' THEN alerts.secret_sealed END, "
                + "events = EXCLUDED.events, selector = EXCLUDED.selector, enabled = EXCLUDED.enabled, "
                + "source_revision = EXCLUDED.source_revision, updated_at = now() "
                + "WHERE alerts.source = EXCLUDED.source").executeBatch(tuples)
                .flatMap(x -> c.preparedQuery("UPDATE alert_deliveries d SET status = 'failed', finished_at = now(), "
                        + "last_error = 'the alert was disabled before this was sent' FROM alerts a WHERE a.name = d.alert "
                        + "AND a.source = $1 AND NOT a.enabled AND d.status = 'pending'").execute(Tuple.of(source)))
                .replaceWithVoid();
    }

    /** Deletes the alerts named {@code names} that {@code source} owns, with their delivery logs. */
    public static Uni<Void> deleteOwned(SqlClient c, Set<String> names, String source) {
        if (names.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return c.preparedQuery("DELETE FROM alerts WHERE name = ANY($1) AND source = $2")
                .execute(Tuple.of(names.toArray(String[]::new), source)).replaceWithVoid();
    }

    /** Of the alerts named {@code names}, those another owner than {@code source} holds: name to owner, at most 20. */
    public static Uni<Map<String, String>> foreignOwners(SqlClient c, Set<String> names, String source) {
        if (names.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return c.preparedQuery("SELECT name, source FROM alerts WHERE name = ANY($1) AND source <> $2 ORDER BY name LIMIT 20")
                .execute(Tuple.of(names.toArray(String[]::new), source)).map(rows -> {
                    Map<String, String> owners = new LinkedHashMap<>();
                    rows.forEach(r -> owners.put(r.getString("name"), r.getString("source")));
                    return owners;
                });
    }
}

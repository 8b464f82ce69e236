package io.testum.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestMulti;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Violations;
import io.vertx.core.json.Json;

@Path("/api/audit")
public class AuditResource {

    private final AuditLog log;

    public AuditResource(AuditLog log) {
        this.log = log;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Page<AuditEntry>> list(@QueryParam("actor") String actor, @QueryParam("action") String action,
            @QueryParam("target") String target, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return log.list(filter(actor, action, target, from, to), PageRequest.of(page, size));
    }

    /** Every matching entry as CSV or a JSON array, streamed. */
    @GET
    @Path("export")
    public RestMulti<String> export(@QueryParam("format") String format, @QueryParam("actor") String actor,
            @QueryParam("action") String action, @QueryParam("target") String target, @QueryParam("from") String from,
            @QueryParam("to") String to) {
        String kind = format == null ? "json" : format;
        Violations v = new Violations();
        v.check("csv".equals(kind) || "json".equals(kind), "format", "must be csv or json");
        AuditLog.Filter filter = filter(actor, action, target, from, to, v);
        Multi<AuditEntry> entries = log.stream(filter);
        Multi<String> body = "csv".equals(kind)
                ? Multi.createBy().concatenating().streams(Multi.createFrom().item(AuditCsv.HEADER), entries.map(AuditCsv::line))
                : jsonArray(entries);
        return RestMulti.fromMultiData(body)
                .header("Content-Type", "csv".equals(kind) ? "text/csv; charset=utf-8" : MediaType.APPLICATION_JSON)
                .header("Content-Disposition", "attachment; filename=\"testum-audit." + kind + "\"")
                .build();
    }

    private static Multi<String> jsonArray(Multi<AuditEntry> entries) {
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        return Multi.createBy().concatenating().streams(
                Multi.createFrom().item("["),
                entries.map(e -> (first.getAndSet(false) ? "" : ",") + "\n" + Json.encode(json(e))),
                Multi.createFrom().item("\n]\n"));
    }

    private static Map<String, Object> json(AuditEntry e) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        map.put("id", e.id());
        map.put("at", e.at().toString());
        map.put("actor", e.actor());
        map.put("action", e.action());
        map.put("target", e.target());
        map.put("outcome", e.outcome());
        map.put("client_address", e.clientAddress());
        map.put("details", e.details());
        return map;
    }

    private static AuditLog.Filter filter(String actor, String action, String target, String from, String to) {
        Violations v = new Violations();
        return filter(actor, action, target, from, to, v);
    }

    private static AuditLog.Filter filter(String actor, String action, String target, String from, String to, Violations v) {
        AuditLog.Filter filter = new AuditLog.Filter(blankToNull(actor), blankToNull(action), blankToNull(target),
                instant(from, "from", v), instant(to, "to", v));
        v.throwIfAny();
        return filter;
    }

    private static Instant instant(String value, String field, Violations v) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            v.add(field, "must be an ISO-8601 time such as 2026-01-31T00:00:00Z");
            return null;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /**
     * CSV lines (RFC 4180), quoted where needed, safe to open in a spreadsheet: a cell that starts
     * with {@code = + - @}, a tab or a carriage return would be evaluated as a formula (the actor of
     * a login attempt is whatever an unauthenticated caller typed), so it gets a leading {@code '}
     * that makes it text (OWASP's advice on CSV injection); a cell with a semicolon, the separator
     * of some locales, is quoted like one with a comma.
     */
    static final class AuditCsv {
        static final String HEADER = "id,at,actor,action,target,outcome,client_address,details\n";

        private AuditCsv() {
        }

        static String line(AuditEntry e) {
            return java.util.stream.Stream.of(String.valueOf(e.id()), e.at().toString(), e.actor(), e.action(), e.target(),
                    e.outcome(), e.clientAddress(), e.details() == null ? null : Json.encode(e.details()))
                    .map(AuditCsv::field).collect(Collectors.joining(",")) + "\n";
        }

        static String field(String raw) {
            if (raw == null) {
                return "";
            }
            String value = raw.isEmpty() || "=+-@\t\r".indexOf(raw.charAt(0)) < 0 ? raw : "'" + raw;
            if (value.chars().anyMatch(c -> c == ',' || c == ';' || c == '"' || c == '\n' || c == '\r')) {
                return "\"" + value.replace("\"", "\"\"") + "\"";
            }
            return value;
        }
    }
}

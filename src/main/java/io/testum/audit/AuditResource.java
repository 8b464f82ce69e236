package io.testum.audit;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import io.smallrye.common.annotation.Blocking;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.testum.common.CsvRows;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.NotAcceptableException;
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

    /**
     * Every matching entry as CSV or a JSON array, streamed. {@code format} chooses; without it, the
     * {@code Accept} header does ({@code text/csv}, else JSON). A format the {@code Accept} header
     * rules out is 406. The rows are written as they are read, on a worker thread.
     */
    @GET
    @Path("export")
    @Produces({ MediaType.APPLICATION_JSON, CSV })
    @Blocking
    public Response export(@QueryParam("format") String format, @QueryParam("actor") String actor,
            @QueryParam("action") String action, @QueryParam("target") String target, @QueryParam("from") String from,
            @QueryParam("to") String to, @Context HttpHeaders headers) {
        List<MediaType> accepted = headers.getAcceptableMediaTypes();
        String kind = format != null ? format : prefersCsv(accepted) ? "csv" : "json";
        Violations v = new Violations();
        v.check("csv".equals(kind) || "json".equals(kind), "format", "must be csv or json");
        AuditLog.Filter filter = filter(actor, action, target, from, to, v);
        boolean csv = "csv".equals(kind);
        MediaType type = csv ? MediaType.valueOf(CSV) : MediaType.APPLICATION_JSON_TYPE;
        if (accepted.stream().noneMatch(a -> a.isCompatible(type))) {
            throw new NotAcceptableException("format=" + kind + " is " + type + ", which the Accept header ("
                    + headers.getHeaderString(HttpHeaders.ACCEPT) + ") does not allow");
        }
        Multi<AuditEntry> entries = log.stream(filter);
        StreamingOutput body = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            if (csv) {
                writer.write(AuditCsv.HEADER);
            } else {
                writer.write("[");
            }
            boolean first = true;
            for (AuditEntry e : entries.subscribe().asIterable()) {
                if (csv) {
                    writer.write(AuditCsv.line(e));
                } else {
                    writer.write((first ? "" : ",") + "\n" + Json.encode(json(e)));
                }
                first = false;
            }
            if (!csv) {
                writer.write("\n]\n");
            }
            writer.flush();
        };
        return Response.ok(body, csv ? MediaType.valueOf(CSV + "; charset=utf-8") : MediaType.APPLICATION_JSON_TYPE)
                .header("Content-Disposition", "attachment; filename=\"testum-audit." + kind + "\"").build();
    }

    private static final String CSV = "text/csv";

    /** Whether the client asks for CSV before JSON (a wildcard asks for neither). */
    private static boolean prefersCsv(List<MediaType> accepted) {
        for (MediaType a : accepted) {
            if (a.isWildcardType() || a.isWildcardSubtype()) {
                continue;
            }
            if (a.isCompatible(MediaType.valueOf(CSV))) {
                return true;
            }
            if (a.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
        }
        return false;
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
            return CsvRows.line(String.valueOf(e.id()), e.at().toString(), e.actor(), e.action(), e.target(), e.outcome(),
                    e.clientAddress(), e.details() == null ? null : Json.encode(e.details()));
        }
    }
}

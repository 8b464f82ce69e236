package io.testum.deploy;

import java.util.List;
import java.util.regex.Pattern;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;
import io.testum.common.CsvRows;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Violations;
import io.testum.inventory.Labels;

/**
 * {@code GET /api/unmanaged-keys}: the keys outside the managed blocks across the fleet, so that
 * "where can this fingerprint log in?" is one call. Filters {@code fingerprint}, {@code platform},
 * {@code label} ({@code key=value} or {@code key}, repeatable), {@code known} and {@code weak}
 * ({@code true} or {@code false}); paged; {@code /export?format=csv|json} returns every match.
 */
@Path("/api/unmanaged-keys")
@Produces(MediaType.APPLICATION_JSON)
public class UnmanagedKeyResource {

    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");
    private static final String CSV = "text/csv";
    static final String CSV_HEADER = "platform,user,type,bits,fingerprint,comment,options,known_key,flags,first_seen_at,last_seen_at\n";

    private final UnmanagedKeyService service;

    public UnmanagedKeyResource(UnmanagedKeyService service) {
        this.service = service;
    }

    @GET
    public Uni<Page<UnmanagedKeyService.UnmanagedKeyView>> list(@QueryParam("fingerprint") String fingerprint,
            @QueryParam("platform") String platform, @QueryParam("label") List<String> labels,
            @QueryParam("known") String known, @QueryParam("weak") String weak,
            @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        PageRequest request = PageRequest.of(page, size);
        return service.list(query(fingerprint, platform, labels, known, weak), request);
    }

    @GET
    @Path("export")
    @Produces({ MediaType.APPLICATION_JSON, CSV })
    public Uni<Response> export(@QueryParam("format") String format, @QueryParam("fingerprint") String fingerprint,
            @QueryParam("platform") String platform, @QueryParam("label") List<String> labels,
            @QueryParam("known") String known, @QueryParam("weak") String weak) {
        String kind = format == null ? "json" : format;
        Violations v = new Violations();
        v.check("csv".equals(kind) || "json".equals(kind), "format", "must be csv or json");
        v.throwIfAny();
        UnmanagedKeyService.Query query = query(fingerprint, platform, labels, known, weak);
        boolean csv = "csv".equals(kind);
        return service.export(query).map(rows -> {
            Response.ResponseBuilder response;
            if (csv) {
                StringBuilder text = new StringBuilder(CSV_HEADER);
                rows.forEach(row -> text.append(line(row)));
                response = Response.ok(text.toString(), MediaType.valueOf(CSV + "; charset=utf-8"));
            } else {
                response = Response.ok(rows, MediaType.APPLICATION_JSON_TYPE);
            }
            return response.header("Content-Disposition", "attachment; filename=\"testum-unmanaged-keys." + kind + "\"").build();
        });
    }

    /** One CSV line (a comment is whatever the host says, so each cell is made safe for spreadsheets). */
    static String line(UnmanagedKeyService.UnmanagedKeyView k) {
        return CsvRows.line(k.platform(), k.user(), k.type(), String.valueOf(k.bits()), k.fingerprint(), k.comment(),
                k.options(), k.knownKey(), String.join(" ", k.flags()), k.firstSeenAt().toString(), k.lastSeenAt().toString());
    }

    private static UnmanagedKeyService.Query query(String fingerprint, String platform, List<String> labels, String known,
            String weak) {
        Violations v = new Violations();
        String print = blankToNull(fingerprint);
        v.check(print == null || FINGERPRINT.matcher(print).matches(), "fingerprint",
                "must be a SHA256 fingerprint as ssh-keygen -l prints it, e.g. SHA256:" + "A".repeat(43));
        Boolean isKnown = bool(known, "known", v);
        Boolean isWeak = bool(weak, "weak", v);
        v.throwIfAny();
        return new UnmanagedKeyService.Query(print, blankToNull(platform), Labels.Filter.parseAll(labels), isKnown, isWeak);
    }

    private static Boolean bool(String value, String field, Violations v) {
        if (value == null || value.isBlank()) {
            return null;
        }
        v.check("true".equals(value) || "false".equals(value), field, "must be true or false, found '"
                + (value.length() > 20 ? value.substring(0, 20) + "…" : value) + "'");
        return "true".equals(value);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}

package io.testum.deploy;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.testum.common.CsvRows;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Violations;

/**
 * {@code GET /api/access-history}: who could log in where, and when. Filters {@code platform},
 * {@code user} (also {@code account}), {@code key} (a key's name), {@code fingerprint},
 * {@code observed} ({@code managed}, {@code drift}, {@code unmanaged}; repeatable or
 * comma-separated); then {@code at} (the intervals in force at that time) or {@code from} and/or
 * {@code to} (every interval overlapping that range); without either, the whole history. Paged by
 * platform, user and start. {@code /export?format=csv|json} returns every match: JSON as the list's
 * items, CSV one row per key of each interval (an interval without keys gives one row without a key),
 * its cells safe for spreadsheets.
 */
@Path("/api/access-history")
@Produces(MediaType.APPLICATION_JSON)
public class AccessHistoryResource {

    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");
    private static final String CSV = "text/csv";
    static final String CSV_HEADER = "platform,user,observed,key,fingerprint,from,to,last_seen_at,ended,source,revision,changes\n";

    private final AccessHistory history;
    private final ObjectMapper mapper;

    public AccessHistoryResource(AccessHistory history, ObjectMapper mapper) {
        this.history = history;
        this.mapper = mapper;
    }

    @GET
    public Uni<Page<AccessHistory.Interval>> list(@QueryParam("platform") String platform, @QueryParam("user") String user,
            @QueryParam("account") String account, @QueryParam("key") String key,
            @QueryParam("fingerprint") String fingerprint, @QueryParam("observed") List<String> observed,
            @QueryParam("at") String at, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        Violations v = new Violations();
        AccessHistory.Query query = query(platform, user, account, key, fingerprint, observed, at, from, to, v);
        PageRequest request = PageRequest.of(page, size);
        return history.list(query, request);
    }

    @GET
    @Path("export")
    @Produces({ MediaType.APPLICATION_JSON, CSV })
    @Blocking
    public Response export(@QueryParam("format") String format, @QueryParam("platform") String platform,
            @QueryParam("user") String user, @QueryParam("account") String account, @QueryParam("key") String key,
            @QueryParam("fingerprint") String fingerprint, @QueryParam("observed") List<String> observed,
            @QueryParam("at") String at, @QueryParam("from") String from, @QueryParam("to") String to) {
        String kind = format == null || format.isBlank() ? "json" : format;
        Violations v = new Violations();
        v.check("csv".equals(kind) || "json".equals(kind), "format", "must be csv or json");
        AccessHistory.Query query = query(platform, user, account, key, fingerprint, observed, at, from, to, v);
        boolean csv = "csv".equals(kind);
        var intervals = history.export(query);
        StreamingOutput body = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            writer.write(csv ? CSV_HEADER : "[");
            boolean first = true;
            for (AccessHistory.Interval interval : intervals.subscribe().asIterable()) {
                if (csv) {
                    writer.write(lines(interval));
                } else {
                    writer.write((first ? "" : ",") + "\n" + mapper.writeValueAsString(interval));
                }
                first = false;
            }
            if (!csv) {
                writer.write("\n]\n");
            }
            writer.flush();
        };
        return Response.ok(body, csv ? MediaType.valueOf(CSV + "; charset=utf-8") : MediaType.APPLICATION_JSON_TYPE)
                .header("Content-Disposition", "attachment; filename=\"testum-access-history." + kind + "\"").build();
    }

    /** The CSV rows of one interval: one per key, or one without a key when it has none. */
    static String lines(AccessHistory.Interval i) {
        String changes = i.changes().stream().map(AccessHistoryResource::change).collect(Collectors.joining("; "));
        List<BlockKey> keys = i.keys().isEmpty() ? java.util.Collections.singletonList(null) : i.keys();
        StringBuilder rows = new StringBuilder();
        for (BlockKey k : keys) {
            rows.append(CsvRows.line(i.platform(), i.user(), i.observed().wire(), k == null ? null : k.name(),
                    k == null ? null : k.fingerprint(), text(i.from()), text(i.to()), text(i.lastSeenAt()),
                    i.ended() == null ? null : i.ended().wire(), i.source(), i.revision(), changes));
        }
        return rows.toString();
    }

    /** A change as one readable phrase: {@code source@revision by actor (request) grants a, b at time}. */
    static String change(AccessHistory.Change c) {
        StringBuilder text = new StringBuilder(String.valueOf(c.source()));
        if (c.revision() != null) {
            text.append('@').append(c.revision());
        }
        if (c.actor() != null) {
            text.append(" by ").append(c.actor());
        }
        if (c.request() != null) {
            text.append(" (").append(c.request()).append(')');
        }
        if (!c.grants().isEmpty()) {
            text.append(" grants ").append(String.join(", ", c.grants()));
        }
        if (c.at() != null) {
            text.append(" at ").append(c.at());
        }
        return text.toString();
    }

    private static String text(Instant time) {
        return time == null ? null : time.toString();
    }

    /** Checks every parameter and throws once, naming each field that is wrong. */
    private static AccessHistory.Query query(String platform, String user, String account, String key, String fingerprint,
            List<String> observed, String at, String from, String to, Violations v) {
        String print = blankToNull(fingerprint);
        v.check(print == null || FINGERPRINT.matcher(print).matches(), "fingerprint",
                "must be a SHA256 fingerprint as ssh-keygen -l prints it, e.g. SHA256:" + "A".repeat(43));
        String login = blankToNull(user);
        String alias = blankToNull(account);
        v.check(login == null || alias == null || login.equals(alias), "account",
                "names another user than user= ('" + shortened(alias) + "' and '" + shortened(login) + "'); give one of them");
        Set<Observed> kinds = EnumSet.noneOf(Observed.class);
        for (String value : observed == null ? List.<String>of() : observed) {
            for (String word : value.split(",")) {
                if (word.isBlank()) {
                    continue;
                }
                try {
                    kinds.add(Observed.of(word.strip()));
                } catch (IllegalArgumentException e) {
                    v.add("observed", "must be one of " + String.join(", ", Observed.words()) + ", found '" + shortened(word) + "'");
                }
            }
        }
        Instant atTime = time(at, "at", v);
        Instant fromTime = time(from, "from", v);
        Instant toTime = time(to, "to", v);
        if (atTime != null && (fromTime != null || toTime != null)) {
            v.add("at", "cannot be combined with from or to: at asks what was in force at one time, from and to for "
                    + "every interval that overlaps a range");
        }
        if (fromTime != null && toTime != null && fromTime.isAfter(toTime)) {
            v.add("to", "is before from (" + fromTime + "); the range must run forward");
        }
        v.throwIfAny();
        return new AccessHistory.Query(blankToNull(platform), login != null ? login : alias, blankToNull(key), print, kinds,
                atTime, fromTime, toTime);
    }

    /** An ISO-8601 time with {@code Z} or an offset, e.g. {@code 2026-01-31T00:00:00Z} or {@code 2026-01-31T01:00:00+01:00}. */
    private static Instant time(String value, String field, Violations v) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            v.add(field, "must be an ISO-8601 time with a zone, such as 2026-01-31T00:00:00Z, found '" + shortened(value) + "'");
            return null;
        }
    }

    private static String shortened(String value) {
        return value == null ? "" : value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

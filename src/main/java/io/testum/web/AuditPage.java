package io.testum.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.testum.audit.AuditEntry;
import io.testum.audit.AuditLog;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Violations;
import io.vertx.core.json.Json;

/** The audit log (admin), newest first, with the API's filters and export. */
@Path("/audit")
@WebPage
@Produces(MediaType.TEXT_HTML)
public class AuditPage {

    static final int PAGE_SIZE = 100;

    private final AuditLog log;
    private final UiContext ui;

    public AuditPage(AuditLog log, UiContext ui) {
        this.log = log;
        this.ui = ui;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance audit(AuditView audit);
    }

    /** {@code query}: the filters as URL parameters, for paging and the export links. */
    @TemplateData
    public record AuditView(Page<Entry> page, String actor, String action, String target, String from, String to,
            String query, String prev, String next) {
    }

    @TemplateData
    public record Entry(Instant at, String actor, String action, String target, String outcome, String clientAddress,
            String details) {
    }

    @GET
    public Uni<TemplateInstance> audit(@RestQuery String actor, @RestQuery String action, @RestQuery String target,
            @RestQuery String from, @RestQuery String to, @RestQuery Integer page) {
        Violations v = new Violations();
        AuditLog.Filter filter = new AuditLog.Filter(Forms.blankToNull(actor), Forms.blankToNull(action),
                Forms.blankToNull(target), instant(from, "from", v), instant(to, "to", v));
        v.throwIfAny();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("actor", actor);
        params.put("action", action);
        params.put("target", target);
        params.put("from", from);
        params.put("to", to);
        String query = params.entrySet().stream().filter(e -> e.getValue() != null && !e.getValue().isBlank())
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue().strip(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return log.list(filter, PageRequest.of(page, PAGE_SIZE)).map(result -> ui.page(Templates.audit(new AuditView(
                result.map(e -> new Entry(e.at(), e.actor(), e.action(), e.target(), e.outcome(), e.clientAddress(),
                        e.details() == null || e.details().isEmpty() ? "" : Json.encode(e.details()))),
                text(actor), text(action), text(target), text(from), text(to), query, Paging.previous(result),
                Paging.next(result)))));
    }

    private static Instant instant(String value, String field, Violations v) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            v.add(field, "must be an ISO-8601 time such as 2026-01-31T00:00:00Z");
            return null;
        }
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }
}

package io.testum.web;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.testum.alerts.AlertEvent;
import io.testum.alerts.AlertRequest;
import io.testum.alerts.AlertService;
import io.testum.alerts.AlertView;
import io.testum.alerts.DeliveryView;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Source;

/**
 * Alerts (admin): the list, a new alert, and one alert with its delivery log. The URL (whose path
 * and query often hold a token) and the signing secret are write-only: a page shows the URL cut
 * down to scheme, host and port and whether a secret is stored; an empty field keeps the stored one.
 */
@Path("/alerts")
@WebPage
@Produces(MediaType.TEXT_HTML)
public class AlertsPage {

    /** How many deliveries one page of an alert's log lists, newest first. */
    static final int DELIVERIES_SHOWN = 50;

    private final AlertService alerts;
    private final UiContext ui;

    public AlertsPage(AlertService alerts, UiContext ui) {
        this.alerts = alerts;
        this.ui = ui;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance alerts(List<AlertView> alerts, AlertForm blank, String notice);

        static native TemplateInstance alert(AlertDetail alert);
    }

    /** One alert, its form (when it may be edited) and a page of its delivery log. */
    @TemplateData
    public record AlertDetail(AlertView alert, AlertForm form, Page<DeliveryView> deliveries, String prev, String next,
            String notice) {

        /** Made through the API or the UI: an admin may edit and delete it. A Git-managed one changes in Git. */
        public boolean editable() {
            return Source.API.equals(alert.source());
        }
    }

    /** One event as the form offers it: its word and whether the alert is for it. */
    @TemplateData
    public record EventChoice(String word, boolean chosen) {
    }

    /**
     * What the create and edit forms show. Never the URL nor the secret: {@code urlShown} is the
     * scheme, host and port the API answers, {@code hasSecret} whether a signing secret is stored.
     */
    @TemplateData
    public record AlertForm(String name, String type, String urlShown, boolean hasSecret, List<EventChoice> events,
            String selector, boolean enabled) {

        static AlertForm blank() {
            return new AlertForm("", "webhook", "", false, choices(List.of()), "", true);
        }

        static AlertForm of(AlertView a) {
            return new AlertForm(a.name(), a.type(), a.url() == null ? "" : a.url(), a.secretSet(), choices(a.events()),
                    Forms.labels(a.selector()), a.enabled());
        }

        private static List<EventChoice> choices(List<String> chosen) {
            return Arrays.stream(AlertEvent.values()).map(e -> new EventChoice(e.wire(), chosen != null && chosen.contains(e.wire())))
                    .toList();
        }
    }

    @GET
    public Uni<TemplateInstance> list(@RestQuery String notice) {
        return alerts.list().map(all -> ui.page(Templates.alerts(all, AlertForm.blank(), ui.notice(notice))));
    }

    @GET
    @Path("{name}")
    public Uni<TemplateInstance> alert(@RestPath String name, @RestQuery Integer page, @RestQuery String notice) {
        return alerts.get(name).chain(view -> alerts.deliveries(name, new PageRequest(page == null || page < 0 ? 0 : page,
                DELIVERIES_SHOWN)).map(log -> ui.page(Templates.alert(new AlertDetail(view, AlertForm.of(view), log,
                        Paging.previous(log), Paging.next(log), ui.notice(notice))))));
    }

    /** Makes an alert. Its URL and secret are sealed by the service and never shown again. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> create(@RestForm String name, @RestForm String type, @RestForm String url, @RestForm String secret,
            @RestForm List<String> events, @RestForm String selector, @RestForm boolean enabled) {
        AlertRequest request = new AlertRequest(Forms.blankToNull(name), Forms.blankToNull(type), Forms.blankToNull(url),
                emptyToNull(secret), events(events), Forms.labels(selector, "selector"), enabled);
        return alerts.create(request).map(v -> Response.seeOther(URI.create("/alerts/" + v.name() + "?notice=created")).build());
    }

    /**
     * Changes an alert: an empty URL or secret keeps the stored one (neither is shown, so neither
     * can be posted back); a new value replaces it. A slack alert keeps no secret, so changing the
     * type to slack drops it; changing it to webhook needs a new one.
     */
    @POST
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> update(@RestPath String name, @RestForm String type, @RestForm String url, @RestForm String secret,
            @RestForm List<String> events, @RestForm String selector, @RestForm boolean enabled) {
        Map<String, String> labels = Forms.labels(selector, "selector");
        AlertRequest request = new AlertRequest(null, Forms.blankToNull(type), Forms.blankToNull(url), emptyToNull(secret),
                events(events), labels, enabled);
        return alerts.update(name, request).map(v -> Response.seeOther(URI.create("/alerts/" + name + "?notice=saved")).build());
    }

    /**
     * For an alert GitOps manages, what the document leaves to testum: the signing secret of a
     * webhook, and the URL when the document gives none. Anything else changes in Git (409).
     */
    @POST
    @Path("{name}/secrets")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> fillIn(@RestPath String name, @RestForm String url, @RestForm String secret) {
        AlertRequest request = new AlertRequest(null, null, Forms.blankToNull(url), emptyToNull(secret), null, null, null);
        return alerts.update(name, request).map(v -> Response.seeOther(URI.create("/alerts/" + name + "?notice=saved")).build());
    }

    /** Deletes an alert made through the API or the UI, with its delivery log. */
    @POST
    @Path("{name}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> delete(@RestPath String name) {
        return alerts.delete(name).map(x -> Response.seeOther(URI.create("/alerts?notice=deleted")).build());
    }

    /** The ticked events; none ticked is an empty list, which the service refuses naming the field. */
    private static List<String> events(List<String> ticked) {
        return ticked == null ? List.of() : ticked.stream().map(String::strip).filter(e -> !e.isEmpty()).toList();
    }

    private static String emptyToNull(String secret) {
        return secret == null || secret.isEmpty() ? null : secret;
    }
}

package io.testum.web;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

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
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Source;
import io.testum.common.ValidationException;
import io.testum.keys.AccessGrantRequest;
import io.testum.keys.AccessGrantService;
import io.testum.keys.AccessGrantView;

/** Access grants: which keys may log in where, as which account, until when. */
@Path("/access")
@WebPage
@Produces(MediaType.TEXT_HTML)
public class AccessPage {

    static final int PAGE_SIZE = 100;

    private final AccessGrantService grants;
    private final UiContext ui;

    public AccessPage(AccessGrantService grants, UiContext ui) {
        this.grants = grants;
        this.ui = ui;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance grants(GrantsView grants);

        static native TemplateInstance grant(GrantDetail grant);
    }

    @TemplateData
    public record GrantsView(Page<AccessGrantView> page, String q, String notice, String prev, String next,
            GrantForm blank) {
    }

    @TemplateData
    public record GrantDetail(AccessGrantView grant, GrantForm form, String notice) {

        public boolean editable() {
            return Source.API.equals(grant.source());
        }
    }

    /** What the grant forms show, never null. */
    @TemplateData
    public record GrantForm(String keys, String platforms, String selector, String user, String options, String expires,
            String description) {

        static final GrantForm BLANK = new GrantForm("", "", "", "", "", "", "");

        static GrantForm of(AccessGrantView g) {
            return new GrantForm(String.join(", ", g.keys()), String.join(", ", g.platforms()), Forms.labels(g.selector()),
                    g.user() == null ? "" : g.user(), g.options() == null ? "" : g.options(),
                    g.expires() == null ? "" : g.expires().toString(), g.description() == null ? "" : g.description());
        }
    }

    @GET
    public Uni<TemplateInstance> list(@RestQuery String q, @RestQuery Integer page, @RestQuery String notice) {
        return grants.list(Forms.blankToNull(q), PageRequest.of(page, PAGE_SIZE))
                .map(result -> ui.page(Templates.grants(new GrantsView(result, q == null ? "" : q, ui.notice(notice),
                        Paging.previous(result), Paging.next(result), GrantForm.BLANK))));
    }

    @GET
    @Path("{name}")
    public Uni<TemplateInstance> grant(@RestPath String name, @RestQuery String notice) {
        return grants.get(name).map(g -> ui.page(Templates.grant(new GrantDetail(g, GrantForm.of(g), ui.notice(notice)))));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> create(@RestForm String name, @RestForm String keys, @RestForm String platforms,
            @RestForm String selector, @RestForm String user, @RestForm String options, @RestForm String expires,
            @RestForm String description) {
        return grants.create(request(Forms.blankToNull(name), keys, platforms, selector, user, options, expires, description))
                .map(g -> Response.seeOther(URI.create("/access/" + g.name() + "?notice=created")).build());
    }

    @POST
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> update(@RestPath String name, @RestForm String keys, @RestForm String platforms,
            @RestForm String selector, @RestForm String user, @RestForm String options, @RestForm String expires,
            @RestForm String description) {
        return grants.update(name, request(name, keys, platforms, selector, user, options, expires, description))
                .map(g -> Response.seeOther(URI.create("/access/" + name + "?notice=saved")).build());
    }

    @POST
    @Path("{name}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> delete(@RestPath String name) {
        return grants.delete(name).map(x -> Response.seeOther(URI.create("/access?notice=deleted")).build());
    }

    private static AccessGrantRequest request(String name, String keys, String platforms, String selector, String user,
            String options, String expires, String description) {
        List<String> platformNames = Forms.list(platforms);
        var labels = Forms.labels(selector, "selector");
        return new AccessGrantRequest(name, Forms.list(keys), platformNames.isEmpty() ? null : platformNames,
                labels.isEmpty() ? null : labels, Forms.blankToNull(user), Forms.blankToNull(options), instant(expires),
                Forms.blankToNull(description));
    }

    private static Instant instant(String raw) {
        String value = Forms.blankToNull(raw);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ValidationException("expires", "must be an ISO-8601 time such as 2026-12-31T18:00:00Z");
        }
    }
}

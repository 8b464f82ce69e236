package io.testum.web;

import java.net.URI;

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
import io.testum.deploy.KeyReachService;
import io.testum.keys.KeyRequest;
import io.testum.keys.KeyService;
import io.testum.keys.KeyView;

/**
 * Public keys: fingerprint, where grants put them, and forms for the API-managed ones; a key's
 * page also shows everywhere it can log in now, through testum's blocks and outside them.
 */
@Path("/keys")
@WebPage
@Produces(MediaType.TEXT_HTML)
public class KeysPage {

    static final int PAGE_SIZE = 100;

    /** How many (platform, account) pairs in sync a key's page lists at a time. */
    static final int REACH_PAGE_SIZE = 100;

    private final KeyService keys;
    private final KeyReachService reach;
    private final UiContext ui;

    public KeysPage(KeyService keys, KeyReachService reach, UiContext ui) {
        this.keys = keys;
        this.reach = reach;
        this.ui = ui;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance keys(KeysView keys);

        static native TemplateInstance key(KeyDetail key);
    }

    @TemplateData
    public record KeysView(Page<KeyView> page, String q, String notice, String prev, String next) {
    }

    /** One key; {@code prev} and {@code next}: the pages of its managed pairs in sync. */
    @TemplateData
    public record KeyDetail(KeyView key, KeyReachService.KeyReach reach, String prev, String next, String notice) {

        public boolean editable() {
            return Source.API.equals(key.source());
        }
    }

    @GET
    public Uni<TemplateInstance> list(@RestQuery String q, @RestQuery Integer page, @RestQuery String notice) {
        return keys.list(Forms.blankToNull(q), PageRequest.of(page, PAGE_SIZE))
                .map(result -> ui.page(Templates.keys(new KeysView(result, q == null ? "" : q, ui.notice(notice),
                        Paging.previous(result), Paging.next(result)))));
    }

    @GET
    @Path("{name}")
    public Uni<TemplateInstance> key(@RestPath String name, @RestQuery Integer page, @RestQuery String notice) {
        PageRequest request = PageRequest.of(page, REACH_PAGE_SIZE);
        return keys.get(name).chain(key -> reach.of(key.name(), key.fingerprint(), request)
                .map(where -> ui.page(Templates.key(new KeyDetail(key, where, Paging.previous(where.managed()),
                        Paging.next(where.managed()), ui.notice(notice))))));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> create(@RestForm String name, @RestForm("public_key") String publicKey, @RestForm String description) {
        return keys.create(new KeyRequest(Forms.blankToNull(name), Forms.blankToNull(publicKey), Forms.blankToNull(description)))
                .map(key -> Response.seeOther(URI.create("/keys/" + key.name() + "?notice=created")).build());
    }

    @POST
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> update(@RestPath String name, @RestForm("public_key") String publicKey, @RestForm String description) {
        return keys.update(name, new KeyRequest(name, Forms.blankToNull(publicKey), Forms.blankToNull(description)))
                .map(key -> Response.seeOther(URI.create("/keys/" + name + "?notice=saved")).build());
    }

    @POST
    @Path("{name}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> delete(@RestPath String name) {
        return keys.delete(name).map(x -> Response.seeOther(URI.create("/keys?notice=deleted")).build());
    }
}

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
import io.testum.auth.ApiTokenService;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.UnauthorizedException;

/** API tokens for automation (admin): create (the token is shown once, on the answer page) and revoke. */
@Path("/tokens")
@WebPage
@Produces(MediaType.TEXT_HTML)
public class TokensPage {

    static final int PAGE_SIZE = 100;

    private final ApiTokenService tokens;
    private final UiContext ui;

    public TokensPage(ApiTokenService tokens, UiContext ui) {
        this.tokens = tokens;
        this.ui = ui;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance tokens(TokensView tokens);
    }

    /** {@code created}: the token just made, whose text this page shows this once. */
    @TemplateData
    public record TokensView(Page<ApiTokenService.View> page, ApiTokenService.Created created, String notice, String prev,
            String next) {
    }

    @GET
    public Uni<TemplateInstance> list(@RestQuery Integer page, @RestQuery String notice) {
        return page(page, null, ui.notice(notice));
    }

    private Uni<TemplateInstance> page(Integer page, ApiTokenService.Created created, String notice) {
        return tokens.list(PageRequest.of(page, PAGE_SIZE)).map(result -> ui.page(Templates.tokens(new TokensView(result,
                created, notice, Paging.previous(result), Paging.next(result)))));
    }

    /** Answers with the page itself, not a redirect: the token must not travel in a URL. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> create(@RestForm String name, @RestForm String role,
            @RestForm("expires_in_days") Integer expiresInDays) {
        var creator = ui.caller().orElseThrow(() -> new UnauthorizedException("Not signed in"));
        return tokens.create(creator, new ApiTokenService.Request(Forms.blankToNull(name), Forms.blankToNull(role),
                expiresInDays)).chain(created -> page(0, created, null))
                .map(page -> Response.ok(page).header("Cache-Control", "no-store").build());
    }

    @POST
    @Path("{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> revoke(@RestPath long id) {
        return tokens.revoke(id).map(x -> Response.seeOther(URI.create("/tokens?notice=revoked")).build());
    }
}

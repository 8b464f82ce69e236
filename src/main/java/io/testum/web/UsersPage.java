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
import io.testum.auth.UserService;
import io.testum.common.Page;
import io.testum.common.PageRequest;

/** Users (admin): create, change role, enable or disable, set a password, delete. */
@Path("/users")
@WebPage
@Produces(MediaType.TEXT_HTML)
public class UsersPage {

    static final int PAGE_SIZE = 100;

    private final UserService users;
    private final UiContext ui;

    public UsersPage(UserService users, UiContext ui) {
        this.users = users;
        this.ui = ui;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance users(UsersView users);
    }

    @TemplateData
    public record UsersView(Page<UserService.View> page, String notice, String prev, String next) {
    }

    @GET
    public Uni<TemplateInstance> list(@RestQuery Integer page, @RestQuery String notice) {
        return users.list(null, PageRequest.of(page, PAGE_SIZE)).map(result -> ui.page(Templates.users(new UsersView(result,
                ui.notice(notice), Paging.previous(result), Paging.next(result)))));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> create(@RestForm String username, @RestForm String password, @RestForm String role) {
        return users.create(new UserService.Request(Forms.blankToNull(username), password, Forms.blankToNull(role), true))
                .map(u -> Response.seeOther(URI.create("/users?notice=created")).build());
    }

    /** Role and enabled always; the password only when one was typed. */
    @POST
    @Path("{username}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> update(@RestPath String username, @RestForm String role, @RestForm boolean enabled,
            @RestForm String password) {
        return users.update(username, new UserService.Request(username, password == null || password.isEmpty() ? null
                : password, Forms.blankToNull(role), enabled))
                .map(u -> Response.seeOther(URI.create("/users?notice=saved")).build());
    }

    @POST
    @Path("{username}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> delete(@RestPath String username) {
        return users.delete(username).map(x -> Response.seeOther(URI.create("/users?notice=deleted")).build());
    }
}

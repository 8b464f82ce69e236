package io.testum.web;

import java.net.URI;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.testum.audit.AuditContext;
import io.testum.auth.Caller;
import io.testum.auth.SessionCookies;
import io.testum.auth.SessionService;
import io.testum.common.ClientAddress;
import io.testum.common.TooManyRequestsException;
import io.testum.common.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;

/**
 * Logging in and out of the UI with the API's sessions and cookies, and the language switch. The
 * login form opens the same session as {@code POST /api/auth/login} and sets the same cookies.
 */
@Path("/")
@WebPage
@Produces(MediaType.TEXT_HTML)
public class LoginPage {

    private static final int LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600;

    private final SessionService sessions;
    private final UiContext ui;
    private final AuditContext audit;

    public LoginPage(SessionService sessions, UiContext ui, AuditContext audit) {
        this.sessions = sessions;
        this.ui = ui;
        this.audit = audit;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(LoginView login);
    }

    /**
     * The login form. {@code resume}: the visitor was sent here from a page (the access token ran
     * out), so the page first tries the refresh cookie and goes back on success.
     */
    @TemplateData
    public record LoginView(String next, String username, String error, boolean resume) {
    }

    @GET
    @Path("login")
    public Response form(@RestQuery String next) {
        String target = local(next);
        if (ui.signedIn()) {
            return Response.seeOther(URI.create(target)).build();
        }
        return Response.ok(ui.page(Templates.login(new LoginView(target, "", null, next != null)))).build();
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> login(@RestForm String username, @RestForm String password, @RestForm String next,
            @Context HttpServerRequest http) {
        audit.actor(username == null || username.isBlank() ? "anonymous" : username);
        String target = local(next);
        return sessions.login(username, password, ClientAddress.of(http))
                .map(session -> Response.seeOther(URI.create(target))
                        .cookie(SessionCookies.of(session, ui.secure()).toArray(NewCookie[]::new)).build())
                .onFailure(UnauthorizedException.class).recoverWithItem(e -> refused(401, target, username,
                        ui.msg().login_failed()))
                .onFailure(TooManyRequestsException.class).recoverWithItem(e -> {
                    Response.ResponseBuilder answer = Response.fromResponse(refused(429, target, username,
                            ui.msg().login_throttled()));
                    ((TooManyRequestsException) e).headers().forEach(answer::header);
                    return answer.build();
                });
    }

    private Response refused(int status, String next, String username, String error) {
        return Response.status(status).entity(ui.page(Templates.login(new LoginView(next,
                username == null ? "" : username, error, false)))).build();
    }

    /** Ends the session and clears the cookies, as {@code POST /api/auth/logout} does. */
    @POST
    @Path("logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> logout() {
        return sessions.logout(ui.caller().map(Caller::session).orElse(null))
                .map(x -> Response.seeOther(URI.create("/login"))
                        .cookie(SessionCookies.cleared(ui.secure()).toArray(NewCookie[]::new)).build());
    }

    /** Switches the language for this browser (a cookie), and goes back. */
    @GET
    @Path("lang/{code}")
    public Response language(@RestPath String code, @RestQuery String next) {
        Response.ResponseBuilder answer = Response.seeOther(URI.create(local(next)));
        if (UiContext.LANGUAGES.contains(code)) {
            answer.cookie(new NewCookie.Builder(UiContext.LANGUAGE_COOKIE).value(code).path("/")
                    .maxAge(LANGUAGE_COOKIE_SECONDS).httpOnly(true).secure(ui.secure())
                    .sameSite(NewCookie.SameSite.LAX).build());
        }
        return answer.build();
    }

    /** A path on this site to go to, never another site: {@code /platforms?label=x}, not {@code //evil.example}. */
    static String local(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
                || next.chars().anyMatch(c -> c < 0x20)) {
            return "/";
        }
        return next;
    }
}

package io.testum.auth;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestResponse;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.testum.audit.AuditContext;
import io.testum.common.ClientAddress;
import io.vertx.core.http.HttpServerRequest;

/**
 * Login, refresh and logout. The tokens come back in the body for API clients and as HTTP-only,
 * SameSite=Strict cookies for the UI (Secure when the request came over HTTPS).
 */
@Path("/api/auth")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    private final SessionService sessions;
    private final SecurityIdentity identity;
    private final AuditContext audit;

    public AuthResource(SessionService sessions, SecurityIdentity identity, AuditContext audit) {
        this.sessions = sessions;
        this.identity = identity;
        this.audit = audit;
    }

    public record LoginRequest(String username, String password) {
        @Override
        public String toString() {
            return "LoginRequest[" + username + ", password=***]";
        }
    }

    public record RefreshRequest(String refreshToken) {
        @Override
        public String toString() {
            return "RefreshRequest[***]";
        }
    }

    public record Tokens(String accessToken, String refreshToken, String tokenType, long expiresIn) {
        @Override
        public String toString() {
            return "Tokens[***]";
        }
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Tokens>> login(LoginRequest request, @Context HttpServerRequest http, @Context UriInfo uri) {
        LoginRequest body = request == null ? new LoginRequest(null, null) : request;
        audit.actor(body.username() == null || body.username().isBlank() ? "anonymous" : body.username());
        return sessions.login(body.username(), body.password(), ClientAddress.of(http)).map(s -> withCookies(s, uri));
    }

    @POST
    @Path("refresh")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    public Uni<RestResponse<Tokens>> refresh(RefreshRequest request,
            @CookieParam(TokenAuthenticationMechanism.REFRESH_COOKIE) String cookie, @Context UriInfo uri) {
        String token = request != null && request.refreshToken() != null ? request.refreshToken() : cookie;
        return sessions.refresh(token).map(s -> withCookies(s, uri));
    }

    /** Ends the caller's session (or the one of the refresh cookie) and clears the cookies. */
    @POST
    @Path("logout")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    public Uni<RestResponse<Void>> logout(@CookieParam(TokenAuthenticationMechanism.REFRESH_COOKIE) String cookie,
            @Context UriInfo uri) {
        var session = Caller.of(identity).map(Caller::session);
        Uni<java.util.UUID> target = session.isPresent() ? Uni.createFrom().item(session.get()) : sessions.sessionOf(cookie);
        return target.flatMap(sessions::logout).map(x -> RestResponse.ResponseBuilder.<Void>noContent()
                .cookie(SessionCookies.cleared(secure(uri)).toArray(NewCookie[]::new))
                .build());
    }

    private static RestResponse<Tokens> withCookies(Session s, UriInfo uri) {
        return RestResponse.ResponseBuilder.ok(new Tokens(s.accessToken(), s.refreshToken(), "Bearer", s.expiresIn()))
                .cookie(SessionCookies.of(s, secure(uri)).toArray(NewCookie[]::new))
                .build();
    }

    private static boolean secure(UriInfo uri) {
        return "https".equalsIgnoreCase(uri.getRequestUri().getScheme());
    }
}

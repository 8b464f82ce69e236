package io.testum.auth;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;

/**
 * Finds the caller's credentials: {@code Authorization: Bearer <access token or API token>}, or
 * the UI's session cookie. Credentials that do not verify make the request anonymous, with the
 * reason attached, so public endpoints still answer and protected ones say why they refuse.
 */
@ApplicationScoped
public class TokenAuthenticationMechanism implements HttpAuthenticationMechanism {

    static final String ACCESS_COOKIE = "testum_access";
    static final String REFRESH_COOKIE = "testum_refresh";
    private static final String BEARER = "Bearer ";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String token = bearer(context);
        if (token == null) {
            Cookie cookie = context.request().getCookie(ACCESS_COOKIE);
            token = cookie == null || cookie.getValue().isBlank() ? null : cookie.getValue();
        }
        if (token == null) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        return identities.authenticate(new TokenAuthenticationRequest(token))
                .onFailure().recoverWithItem(e -> QuarkusSecurityIdentity.builder()
                        .setAnonymous(true)
                        .setPrincipal(() -> "anonymous")
                        .addAttribute(Caller.ERROR_ATTRIBUTE, e.getMessage() == null ? "invalid credentials" : e.getMessage())
                        .build());
    }

    private static String bearer(RoutingContext context) {
        String header = context.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = header.substring(BEARER.length()).strip();
        return token.isEmpty() ? null : token;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"testum\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }
}

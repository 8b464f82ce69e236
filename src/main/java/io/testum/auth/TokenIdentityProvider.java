package io.testum.auth;

import java.security.Principal;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Turns a token into a caller. Access tokens are checked for signature and expiry, then against
 * the database: the user must still be enabled and the session not revoked, expired or past its
 * lifetime, so disabling a user or logging out takes effect at once. The role is the user's
 * current one, not the token's.
 */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    /** A session's user and whether the session still counts; $1 user name, $2 session, $3 lifetime in seconds. */
    private static final String SESSION_QUERY = "SELECT u.role, u.enabled, s.revoked_at IS NULL AND s.expires_at > now() "
            + "AND s.created_at + make_interval(secs => $3) > now() AS active "
            + "FROM users u JOIN auth_sessions s ON s.user_id = u.id WHERE u.username = $1 AND s.id = $2";

    private final AccessTokens accessTokens;
    private final ApiTokenService apiTokens;
    private final Pool pool;
    private final double sessionLifetime;

    public TokenIdentityProvider(AccessTokens accessTokens, ApiTokenService apiTokens, Pool pool, AuthConfig config) {
        this.accessTokens = accessTokens;
        this.apiTokens = apiTokens;
        this.pool = pool;
        this.sessionLifetime = SessionService.seconds(config.sessionLifetime());
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String token = request.token();
        if (token.startsWith(OpaqueTokens.API_PREFIX)) {
            return apiTokens.authenticate(token).map(TokenIdentityProvider::identity);
        }
        AccessTokens.Claims claims;
        try {
            claims = accessTokens.verify(token);
        } catch (AccessTokens.InvalidTokenException e) {
            return Uni.createFrom().failure(new AuthenticationFailedException(e.getMessage()));
        }
        return pool.preparedQuery(SESSION_QUERY)
                .execute(Tuple.of(claims.username(), claims.session(), sessionLifetime))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw new AuthenticationFailedException("the session of this access token no longer exists");
                    }
                    Row row = rows.iterator().next();
                    if (!row.getBoolean("enabled")) {
                        throw new AuthenticationFailedException("the user is disabled");
                    }
                    if (!row.getBoolean("active")) {
                        throw new AuthenticationFailedException("the session has ended; log in again");
                    }
                    Role role = Role.ofLabel(row.getString("role")).orElseThrow();
                    return identity(new Caller(claims.username(), role, claims.session(), null));
                });
    }

    /**
     * The role {@code caller} has now, or empty when it lost access since it authenticated: its
     * session ended, expired or passed its lifetime, its user was disabled or deleted, or its API
     * token was revoked or expired.
     */
    public Uni<Optional<Role>> currentRole(Caller caller) {
        if (caller.apiToken() != null) {
            return apiTokens.currentRole(caller.apiToken());
        }
        return pool.preparedQuery(SESSION_QUERY).execute(Tuple.of(caller.username(), caller.session(), sessionLifetime))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Optional.<Role>empty();
                    }
                    Row row = rows.iterator().next();
                    return row.getBoolean("enabled") && row.getBoolean("active") ? Role.ofLabel(row.getString("role"))
                            : Optional.<Role>empty();
                });
    }

    static SecurityIdentity identity(Caller caller) {
        Principal principal = caller::username;
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(principal)
                .addRole(caller.role().label())
                .addAttribute(Caller.ATTRIBUTE, caller)
                .build();
    }
}

package io.testum.auth;

import java.security.Principal;

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
 * the database: the user must still be enabled and the session not revoked, so disabling a user
 * or logging out takes effect at once. The role is the user's current one, not the token's.
 */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final AccessTokens accessTokens;
    private final ApiTokenService apiTokens;
    private final Pool pool;

    public TokenIdentityProvider(AccessTokens accessTokens, ApiTokenService apiTokens, Pool pool) {
        this.accessTokens = accessTokens;
        this.apiTokens = apiTokens;
        this.pool = pool;
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
        return pool.preparedQuery("SELECT u.role, u.enabled, s.revoked_at IS NULL AND s.expires_at > now() AS active "
                + "FROM users u JOIN auth_sessions s ON s.user_id = u.id WHERE u.username = $1 AND s.id = $2")
                .execute(Tuple.of(claims.username(), claims.session()))
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

    static SecurityIdentity identity(Caller caller) {
        Principal principal = caller::username;
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(principal)
                .addRole(caller.role().label())
                .addAttribute(Caller.ATTRIBUTE, caller)
                .build();
    }
}

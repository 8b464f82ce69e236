package io.testum.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A bearer token or session cookie, on its way to {@link TokenIdentityProvider}. */
public final class TokenAuthenticationRequest extends BaseAuthenticationRequest {

    private final String token;

    TokenAuthenticationRequest(String token) {
        this.token = token;
    }

    String token() {
        return token;
    }
}

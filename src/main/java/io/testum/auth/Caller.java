package io.testum.auth;

import java.util.Optional;
import java.util.UUID;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is calling, as the authentication mechanism established it: a user through a session
 * (login, UI cookie) or through an API token.
 */
public record Caller(String username, Role role, UUID session, Long apiToken) {

    static final String ATTRIBUTE = "testum.caller";
    static final String ERROR_ATTRIBUTE = "testum.auth-error";

    /** The caller of a request, or empty for an anonymous one. */
    public static Optional<Caller> of(SecurityIdentity identity) {
        return identity == null ? Optional.empty() : Optional.ofNullable(identity.getAttribute(ATTRIBUTE));
    }

    /** The signed-in user's name, {@code anonymous} without one: who a record says asked. */
    public static String username(SecurityIdentity identity) {
        return of(identity).map(Caller::username).orElse("anonymous");
    }

    /** Why the credentials a request carried were refused, if they were. */
    public static Optional<String> authError(SecurityIdentity identity) {
        return identity == null ? Optional.empty() : Optional.ofNullable(identity.getAttribute(ERROR_ATTRIBUTE));
    }

    public String via() {
        return apiToken != null ? "api-token" : "session";
    }
}

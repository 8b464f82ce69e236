package io.testum.auth;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Keeps a long-lived stream (a WebSocket, Server-Sent Events) within its caller's rights. The
 * rights were checked when the stream opened; every {@code testum.auth.stream-recheck} they are
 * checked again against the database, and the stream ends with {@link AccessEndedException} once
 * the caller may no longer open it: the session was logged out, revoked, expired or reached its
 * lifetime, the user was disabled, deleted or given a role too low, or the API token was revoked.
 */
@ApplicationScoped
public class StreamGuard {

    /** Marks the end of the guarded stream inside the merged one; compared by identity. */
    private static final Object END = new Object();

    private final TokenIdentityProvider identities;
    private final Duration every;

    public StreamGuard(TokenIdentityProvider identities, AuthConfig config) {
        this.identities = identities;
        this.every = config.streamRecheck();
    }

    /** The caller lost the right to follow a stream it opened. */
    public static final class AccessEndedException extends RuntimeException {
        AccessEndedException(String message) {
            super(message);
        }
    }

    /**
     * {@code stream} as long as the caller of {@code identity} still has what {@code endpoint} (a
     * row of {@link AccessRules}, e.g. {@code "GET /ws/runs/{id}"}) needs.
     */
    public <T> Multi<T> whileAllowed(SecurityIdentity identity, String endpoint, Multi<T> stream) {
        Optional<Caller> caller = Caller.of(identity);
        Optional<Role> needed = needed(endpoint);
        if (caller.isEmpty()) {
            return Multi.createFrom().failure(new AccessEndedException("Not signed in"));
        }
        Multi<Object> data = Multi.createBy().concatenating().streams(stream.map(item -> (Object) item),
                Multi.createFrom().item(END));
        Multi<Object> watch = Multi.createFrom().ticks().every(every).onOverflow().drop()
                .onItem().transformToUniAndConcatenate(tick -> allowed(caller.get(), needed))
                .filter(allowed -> !allowed)
                .onItem().<Object>transform(x -> {
                    throw new AccessEndedException("The session of '" + caller.get().username()
                            + "' has ended or no longer allows this stream");
                });
        @SuppressWarnings("unchecked")
        Multi<T> guarded = Multi.createBy().merging().withRequests(1).streams(data, watch)
                .select().first(item -> item != END)
                .map(item -> (T) item);
        return guarded;
    }

    /** Whether {@code caller} still holds a role that includes {@code needed} (any role, when empty). */
    Uni<Boolean> allowed(Caller caller, Optional<Role> needed) {
        return identities.currentRole(caller)
                .map(role -> role.isPresent() && needed.map(n -> role.get().includes(n)).orElse(true));
    }

    private static Optional<Role> needed(String endpoint) {
        int space = endpoint.indexOf(' ');
        String method = endpoint.substring(0, space);
        String path = endpoint.substring(space + 1);
        AccessRules.Rule rule = AccessRules.lookup(method, path)
                .or(() -> Optional.ofNullable(AccessRules.routes().get(endpoint)))
                .orElseThrow(() -> new IllegalArgumentException("No access rule for " + endpoint));
        return rule.access().role();
    }
}

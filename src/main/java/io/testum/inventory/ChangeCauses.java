package io.testum.inventory;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.quarkus.arc.Arc;
import io.quarkus.security.identity.SecurityIdentity;
import io.testum.auth.Caller;
import io.vertx.core.http.HttpServerRequest;

/**
 * The cause of a change made in the current request: who is signed in, and which call it is
 * ({@code METHOD /path}, as the audit log has it), so that the access history can name the API
 * change behind a deployed block. Outside a request (a scheduled job) it names nobody.
 */
@ApplicationScoped
public class ChangeCauses {

    private final Instance<SecurityIdentity> identity;
    private final Instance<HttpServerRequest> request;

    ChangeCauses(Instance<SecurityIdentity> identity, Instance<HttpServerRequest> request) {
        this.identity = identity;
        this.request = request;
    }

    /** A change the current request makes on behalf of {@code source} ({@link InventoryChanged#API} and the like). */
    public InventoryChanged.Cause ofRequest(String source, String revision) {
        return new InventoryChanged.Cause(source, revision, actor(), call(), List.of(), Instant.now());
    }

    private String actor() {
        if (!Arc.container().requestContext().isActive()) {
            return null;
        }
        try {
            return Caller.of(identity.get()).map(Caller::username).orElse(null);
        } catch (RuntimeException e) { // no identity in this context
            return null;
        }
    }

    private String call() {
        if (!Arc.container().requestContext().isActive()) {
            return null;
        }
        try {
            HttpServerRequest current = request.get();
            return current.method().name() + " " + current.path();
        } catch (RuntimeException e) { // not an HTTP request
            return null;
        }
    }
}

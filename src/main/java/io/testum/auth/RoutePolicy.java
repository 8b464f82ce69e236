package io.testum.auth;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.testum.common.ProblemException;
import io.vertx.ext.web.RoutingContext;

/**
 * Enforces the {@link AccessRules} rows of the routes outside the REST layer (WebSockets, metrics,
 * the OpenAPI document, Swagger UI), on the paths that {@code quarkus.http.auth.permission.routes}
 * gives it. A path it is given but the table does not name is refused (fail closed). Anonymous
 * callers are refused with 401, a role too low with 403.
 */
@ApplicationScoped
public class RoutePolicy implements HttpSecurityPolicy {

    static final String NAME = "testum-routes";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity,
            AuthorizationRequestContext context) {
        Optional<AccessRules.Rule> rule = AccessRules.route(request.request().method().name(), request.normalizedPath());
        if (rule.isEmpty()) {
            return CheckResult.deny();
        }
        AccessRules.Access access = rule.get().access();
        if (access == AccessRules.Access.PUBLIC) {
            return CheckResult.permit();
        }
        return identity.map(caller -> {
            try {
                AccessFilter.check(access, caller);
                return CheckResult.PERMIT;
            } catch (ProblemException refused) {
                return CheckResult.DENY;
            }
        });
    }
}

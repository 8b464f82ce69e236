package io.testum.auth;

import java.util.Optional;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.testum.common.ForbiddenException;
import io.testum.common.ProblemException;
import io.testum.common.ProblemMapper;
import io.testum.common.UnauthorizedException;

/**
 * Enforces {@link AccessRules} on every REST call: 401 without valid credentials, 403 when the
 * caller's role is too low, and 403 for an endpoint the table does not name (fail closed).
 */
public class AccessFilter {

    private final CurrentIdentityAssociation identities;

    public AccessFilter(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    /**
     * Ends a refused request with its problem answer (null lets it through). Aborting, rather than
     * failing, keeps the response filters running, so the audit log records the refusal.
     */
    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public Uni<Response> authorize(ContainerRequestContext request, ResourceInfo resource) {
        if (resource == null || resource.getResourceMethod() == null) {
            return Uni.createFrom().nullItem();
        }
        String template = AccessRules.template(resource);
        Optional<AccessRules.Rule> rule = AccessRules.lookup(request.getMethod(), template);
        if (rule.isEmpty()) {
            return Uni.createFrom().item(ProblemMapper.toResponse(new ForbiddenException(
                    request.getMethod() + " " + template + " has no access rule, so nobody may call it")));
        }
        AccessRules.Access access = rule.get().access();
        if (access == AccessRules.Access.PUBLIC || access == AccessRules.Access.SIGNATURE) {
            return Uni.createFrom().nullItem();
        }
        return identities.getDeferredIdentity().map(identity -> {
            try {
                check(access, identity);
                return null;
            } catch (ProblemException refused) {
                return ProblemMapper.toResponse(refused);
            }
        });
    }

    static void check(AccessRules.Access access, SecurityIdentity identity) {
        Optional<Caller> caller = Caller.of(identity);
        if (caller.isEmpty()) {
            throw new UnauthorizedException(Caller.authError(identity)
                    .map(reason -> "Not signed in: " + reason)
                    .orElse("Not signed in: send Authorization: Bearer <token>, or log in at POST /api/auth/login"));
        }
        Optional<Role> needed = access.role();
        if (needed.isPresent() && !caller.get().role().includes(needed.get())) {
            throw new ForbiddenException("This needs the " + needed.get().label() + " role; '" + caller.get().username()
                    + "' is " + caller.get().role().label());
        }
    }
}

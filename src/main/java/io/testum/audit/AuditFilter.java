package io.testum.audit;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.testum.auth.AccessRules;
import io.testum.auth.Caller;
import io.testum.common.ClientAddress;
import io.testum.common.Problem;
import io.vertx.core.http.HttpServerRequest;

/**
 * Writes an audit entry for every call that changes something (POST, PUT, PATCH, DELETE),
 * whatever its outcome, including refused ones. The entry names the action from
 * {@link AccessRules}, never the request body.
 */
public class AuditFilter {

    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final AuditLog log;
    private final AuditContext context;
    private final CurrentIdentityAssociation identities;

    public AuditFilter(AuditLog log, AuditContext context, CurrentIdentityAssociation identities) {
        this.log = log;
        this.context = context;
        this.identities = identities;
    }

    @ServerResponseFilter
    public Uni<Void> audit(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource,
            HttpServerRequest http) {
        if (!MUTATING.contains(request.getMethod()) || resource == null || resource.getResourceMethod() == null) {
            return Uni.createFrom().voidItem();
        }
        String template = AccessRules.template(resource);
        String action = AccessRules.lookup(request.getMethod(), template).map(AccessRules.Rule::action)
                .orElse(request.getMethod() + " " + template);
        int status = response.getStatus();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("status", status);
        if (response.getEntity() instanceof Problem problem && problem.detail() != null) {
            details.put("error", problem.detail());
        }
        details.putAll(context.details());
        return identities.getDeferredIdentity().flatMap(identity -> {
            var caller = Caller.of(identity);
            caller.ifPresent(c -> details.put("via", c.via()));
            String actor = context.actor() != null ? context.actor() : caller.map(Caller::username).orElse("anonymous");
            String outcome = outcome(status);
            Uni<Void> entry = log.record(new AuditEntry(null, null, actor, action, target(request, response), outcome,
                    ClientAddress.of(http), details));
            if (!"success".equals(outcome)) {
                return entry;
            }
            for (AuditContext.Also also : context.also()) {
                Map<String, Object> more = new LinkedHashMap<>(also.details());
                more.put("with", action);
                caller.ifPresent(c -> more.put("via", c.via()));
                entry = entry.flatMap(x -> log.record(new AuditEntry(null, null, actor, also.action(), also.target(), outcome,
                        ClientAddress.of(http), more)));
            }
            return entry;
        });
    }

    private String target(ContainerRequestContext request, ContainerResponseContext response) {
        if (context.target() != null) {
            return context.target();
        }
        var parameters = request.getUriInfo().getPathParameters();
        if (!parameters.isEmpty()) {
            return String.join("/", parameters.values().stream().map(v -> String.join(",", v)).toList());
        }
        URI location = response.getLocation();
        if (location != null) {
            String path = location.getPath();
            return path.substring(path.lastIndexOf('/') + 1);
        }
        return null;
    }

    static String outcome(int status) {
        if (status == 401 || status == 403) {
            return "denied";
        }
        return status < 400 ? "success" : "failure";
    }
}

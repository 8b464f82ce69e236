package io.testum.deploy;

import java.util.Set;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * After a successful change to platforms, keys, credentials or grants through the API, the
 * deployments catch up: only the pairs whose block changed are written.
 */
public class InventoryChangeFilter {

    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> INVENTORY = Set.of("platforms", "keys", "credentials", "access");

    private final DeploymentService deployments;

    public InventoryChangeFilter(DeploymentService deployments) {
        this.deployments = deployments;
    }

    @ServerResponseFilter
    public void afterChange(ContainerRequestContext request, ContainerResponseContext response) {
        if (!MUTATING.contains(request.getMethod()) || response.getStatus() >= 300) {
            return;
        }
        var segments = request.getUriInfo().getPathSegments();
        if (segments.size() >= 2 && segments.size() <= 3 && "api".equals(segments.get(0).getPath())
                && INVENTORY.contains(segments.get(1).getPath())) {
            deployments.inventoryChanged();
        }
    }
}

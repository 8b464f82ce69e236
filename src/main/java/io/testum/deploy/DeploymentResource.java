package io.testum.deploy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Violations;

/**
 * {@code GET /api/deployments}: the deployment records of the whole fleet in one call, so that a
 * client following a change (a push, a rollout) asks once per look, not once per platform.
 * Filters: {@code status} (repeatable), {@code platform}, {@code user}, {@code deployed_hash}
 * (which pairs hold a given block); paged like every list.
 */
@Path("/api/deployments")
@Produces(MediaType.APPLICATION_JSON)
public class DeploymentResource {

    private static final List<String> STATUSES = DeploymentStatus.words();

    private final DeploymentRepository repository;

    public DeploymentResource(DeploymentRepository repository) {
        this.repository = repository;
    }

    /** One (platform, account) pair, as {@code GET /api/platforms/{name}/authorized-keys} shows it, with its platform. */
    public record DeploymentView(String platform, String user, String path, List<String> keys,
            DeploymentStatus status, String desiredHash, String deployedHash, Instant lastAttemptAt, Instant lastSuccessAt, String error,
            Map<String, Object> driftedLines) {
    }

    @GET
    public Uni<Page<DeploymentView>> list(@QueryParam("status") List<String> statuses, @QueryParam("platform") String platform,
            @QueryParam("user") String user, @QueryParam("deployed_hash") String deployedHash,
            @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        PageRequest request = PageRequest.of(page, size);
        Violations violations = new Violations();
        for (String status : statuses) {
            violations.check(STATUSES.contains(status), "status", "'" + status + "' is not a deployment status; one of "
                    + String.join(", ", STATUSES));
        }
        violations.throwIfAny();
        return repository.search(statuses.stream().map(DeploymentStatus::of).toList(), platform, user, deployedHash, request.page(), request.size())
                .map(found -> new Page<>(found.items().stream().map(r -> new DeploymentView(r.platform(), r.account(), r.path(),
                        r.keys(), r.status(), r.desiredHash(), r.deployedHash(), r.lastAttemptAt(), r.lastSuccessAt(),
                        r.lastError(), r.driftedLines())).toList(), found.total(), request.page(), request.size()));
    }
}

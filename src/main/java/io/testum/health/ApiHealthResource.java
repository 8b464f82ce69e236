package io.testum.health;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.mutiny.Uni;
import io.testum.cluster.Identity;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * {@code GET /api/health}: one answer for operators and load balancers, 200 when the database
 * answers, 503 when it does not.
 */
@Path("/api/health")
public class ApiHealthResource {

    private static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(3);

    private final Pool pool;
    private final String version;

    public ApiHealthResource(Pool pool, @ConfigProperty(name = "quarkus.application.version") String version) {
        this.pool = pool;
        this.version = version;
    }

    /**
     * @param status   {@code up} or {@code down}
     * @param database {@code up} or {@code down}
     * @param leader   who reconciles: the election mode, this replica's identity, whether it leads
     * @param gitops   each source's readiness and revision
     * @param version  testum's version
     */
    public record Health(String status, String database, Map<String, Object> leader, List<Map<String, Object>> gitops,
            String version) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Health>> health() {
        return pool.query("SELECT 1").execute().replaceWith(true)
                .ifNoItem().after(DATABASE_TIMEOUT).fail()
                .onFailure().recoverWithItem(false)
                .map(up -> {
                    Health health = new Health(up ? "up" : "down", up ? "up" : "down",
                            Map.of("mode", "none", "identity", Identity.current(), "is_leader", true), List.of(), version);
                    return up ? RestResponse.ok(health) : RestResponse.status(RestResponse.Status.SERVICE_UNAVAILABLE, health);
                });
    }
}

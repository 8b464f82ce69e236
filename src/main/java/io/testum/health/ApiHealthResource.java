package io.testum.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.mutiny.Uni;
import io.testum.cluster.Leadership;
import io.testum.gitops.GitSource;
import io.testum.gitops.SourceRepository;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * {@code GET /api/health}: one answer for operators and load balancers, 200 when the database
 * answers, 503 when it does not.
 */
@Path("/api/health")
public class ApiHealthResource {

    private static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(3);

    private final Pool pool;
    private final Leadership leadership;
    private final SourceRepository sources;
    private final String version;

    public ApiHealthResource(Pool pool, Leadership leadership, SourceRepository sources,
            @ConfigProperty(name = "quarkus.application.version") String version) {
        this.pool = pool;
        this.leadership = leadership;
        this.sources = sources;
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
                .flatMap(up -> (up ? sources.all().onFailure().recoverWithItem(List.of()) : Uni.createFrom().item(List.<GitSource>of()))
                        .map(all -> {
                            Map<String, Object> leader = new LinkedHashMap<>();
                            leader.put("mode", leadership.mode());
                            leader.put("identity", leadership.identity());
                            leader.put("is_leader", leadership.isLeader());
                            leader.put("leader", leadership.isLeader() ? leadership.identity() : null);
                            List<Map<String, Object>> gitops = all.stream().map(s -> {
                                Map<String, Object> m = new LinkedHashMap<>();
                                m.put("name", s.name());
                                m.put("ready", s.ready());
                                m.put("reason", s.reason());
                                m.put("revision", s.lastAppliedRevision());
                                m.put("suspended", s.suspended());
                                return m;
                            }).toList();
                            Health health = new Health(up ? "up" : "down", up ? "up" : "down", leader, gitops, version);
                            return up ? RestResponse.ok(health)
                                    : RestResponse.status(RestResponse.Status.SERVICE_UNAVAILABLE, health);
                        }));
    }
}

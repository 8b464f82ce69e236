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

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.testum.auth.Caller;
import io.testum.cluster.Leadership;
import io.testum.gitops.GitSource;
import io.testum.gitops.SourceService;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * {@code GET /api/health}: one answer for operators and load balancers, 200 when the database
 * answers, 503 when it does not. Anonymous callers (load balancers) get only the state; the
 * leader, the sources with their revisions and the version are for signed-in callers, since they
 * tell an attacker what runs where.
 */
@Path("/api/health")
public class ApiHealthResource {

    private static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(3);

    private final Pool pool;
    private final Leadership leadership;
    private final SourceService sources;
    private final String version;
    private final SecurityIdentity identity;

    public ApiHealthResource(Pool pool, Leadership leadership, SourceService sources,
            @ConfigProperty(name = "quarkus.application.version") String version, SecurityIdentity identity) {
        this.pool = pool;
        this.leadership = leadership;
        this.sources = sources;
        this.version = version;
        this.identity = identity;
    }

    /**
     * The answer; {@code leader}, {@code gitops} and {@code version} only for a signed-in caller.
     *
     * @param status   {@code up} or {@code down}
     * @param database {@code up} or {@code down}
     * @param leader   who reconciles: the election mode, this replica's identity, whether it leads
     * @param gitops   each source's readiness and revision
     * @param version  testum's version
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Health(String status, String database, Map<String, Object> leader, List<Map<String, Object>> gitops,
            String version) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Health>> health() {
        boolean signedIn = Caller.of(identity).isPresent();
        return pool.query("SELECT 1").execute().replaceWith(true)
                .ifNoItem().after(DATABASE_TIMEOUT).fail()
                .onFailure().recoverWithItem(false)
                .flatMap(up -> !signedIn ? Uni.createFrom().item(answer(new Health(state(up), state(up), null, null, null)))
                        : (up ? sources.all().onFailure().recoverWithItem(List.of()) : Uni.createFrom().item(List.<GitSource>of()))
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
                            return answer(new Health(state(up), state(up), leader, gitops, version));
                        }));
    }

    private static String state(boolean up) {
        return up ? "up" : "down";
    }

    private static RestResponse<Health> answer(Health health) {
        return "up".equals(health.status()) ? RestResponse.ok(health)
                : RestResponse.status(RestResponse.Status.SERVICE_UNAVAILABLE, health);
    }
}

package io.testum.stats;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;

/** {@code GET /api/stats}: platforms by reachability, deployments by status, runs of the last 24 h, sources. */
@Path("/api/stats")
public class FleetStatsResource {

    private final FleetStatsService repository;

    public FleetStatsResource(FleetStatsService repository) {
        this.repository = repository;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<FleetStats> stats() {
        return repository.stats();
    }
}

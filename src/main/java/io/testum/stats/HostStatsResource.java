package io.testum.stats;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.testum.auth.Caller;

/** A platform's uptime, load, memory and disks, read over SSH (SPEC §6). */
@Path("/api/platforms/{name}/stats")
@Produces(MediaType.APPLICATION_JSON)
public class HostStatsResource {

    private final HostStatsService service;
    private final SecurityIdentity identity;

    public HostStatsResource(HostStatsService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    /**
     * Served from a reading up to 30 s old; {@code refresh=true} reads the host again, which counts
     * against the caller's share of SSH logins (429 with Retry-After beyond it).
     */
    @GET
    @Blocking
    public HostStats stats(@PathParam("name") String name, @QueryParam("refresh") boolean refresh) {
        return service.stats(name, refresh, Caller.username(identity));
    }
}

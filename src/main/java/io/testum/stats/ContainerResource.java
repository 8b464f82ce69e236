package io.testum.stats;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.testum.auth.Caller;
import io.testum.common.ValidationException;

/** A platform's docker containers and their logs, read over SSH. */
@Path("/api/platforms/{name}/containers")
@Produces(MediaType.APPLICATION_JSON)
public class ContainerResource {

    private final ContainerService service;
    private final SecurityIdentity identity;

    public ContainerResource(ContainerService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    /** {@code docker ps -a}: every container, running or not. */
    @GET
    @Blocking
    public List<Container> list(@PathParam("name") String name) {
        return service.list(name, Caller.username(identity));
    }

    /** {@code docker logs --tail N}: {@code tail} from 0 to 10,000 lines, 200 when absent. */
    @GET
    @Path("{id}/logs")
    @Blocking
    public ContainerLogs logs(@PathParam("name") String name, @PathParam("id") String id, @QueryParam("tail") String tail) {
        return service.logs(name, id, tail(tail), Caller.username(identity));
    }

    private static Integer tail(String tail) {
        if (tail == null || tail.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(tail.strip());
        } catch (NumberFormatException e) {
            throw new ValidationException("tail", "must be a whole number of lines between 0 and " + ContainerService.MAX_TAIL
                    + " (got '" + tail + "')");
        }
    }
}

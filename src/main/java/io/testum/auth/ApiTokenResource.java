package io.testum.auth;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.testum.common.Created;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Violations;

@Path("/api/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ApiTokenResource {

    private final ApiTokenService service;
    private final SecurityIdentity identity;

    public ApiTokenResource(ApiTokenService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    @GET
    public Uni<Page<ApiTokenService.View>> list(@QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return service.list(PageRequest.of(page, size));
    }

    /** Creates a token; the answer is the only place its text ever appears. */
    @POST
    public Uni<RestResponse<ApiTokenService.Created>> create(ApiTokenService.Request request) {
        return service.create(Caller.of(identity).orElseThrow(), Violations.body(request))
                .map(t -> Created.at("/api/tokens/" + t.id(), t));
    }

    @DELETE
    @Path("{id}")
    public Uni<Void> revoke(@PathParam("id") long id) {
        return service.revoke(id);
    }
}

package io.testum.keys;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.mutiny.Uni;
import io.testum.common.Created;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Violations;

@Path("/api/access")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AccessGrantResource {

    private final AccessGrantService service;

    public AccessGrantResource(AccessGrantService service) {
        this.service = service;
    }

    @GET
    public Uni<Page<AccessGrantView>> list(@QueryParam("q") String q, @QueryParam("page") Integer page,
            @QueryParam("size") Integer size) {
        return service.list(q, PageRequest.of(page, size));
    }

    @GET
    @Path("{name}")
    public Uni<AccessGrantView> get(@PathParam("name") String name) {
        return service.get(name);
    }

    @POST
    public Uni<RestResponse<AccessGrantView>> create(AccessGrantRequest request) {
        return service.create(Violations.body(request)).map(v -> Created.at("/api/access/" + v.name(), v));
    }

    @PUT
    @Path("{name}")
    public Uni<AccessGrantView> update(@PathParam("name") String name, AccessGrantRequest request) {
        return service.update(name, Violations.body(request));
    }

    @DELETE
    @Path("{name}")
    public Uni<Void> delete(@PathParam("name") String name) {
        return service.delete(name);
    }
}

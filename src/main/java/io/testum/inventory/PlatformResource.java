package io.testum.inventory;

import java.util.List;

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

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.testum.auth.Caller;
import io.testum.common.Created;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Violations;

@Path("/api/platforms")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PlatformResource {

    private final PlatformService service;
    private final SecurityIdentity identity;

    public PlatformResource(PlatformService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    @GET
    public Uni<Page<PlatformView>> list(@QueryParam("label") List<String> labels, @QueryParam("q") String q,
            @QueryParam("reachability") String reachability, @QueryParam("page") Integer page,
            @QueryParam("size") Integer size) {
        return service.list(Labels.Filter.parseAll(labels), q, reachability, PageRequest.of(page, size));
    }

    @GET
    @Path("{name}")
    public Uni<PlatformView> get(@PathParam("name") String name) {
        return service.get(name);
    }

    @POST
    public Uni<RestResponse<PlatformView>> create(PlatformApiRequest request) {
        PlatformApiRequest body = Violations.body(request);
        return service.create(body.request(), body.secret(), Caller.of(identity).orElse(null))
                .map(v -> Created.at("/api/platforms/" + v.name(), v));
    }

    @PUT
    @Path("{name}")
    public Uni<PlatformView> update(@PathParam("name") String name, PlatformApiRequest request) {
        PlatformApiRequest body = Violations.body(request);
        return service.update(name, body.request(), body.secret(), Caller.of(identity).orElse(null));
    }

    @DELETE
    @Path("{name}")
    public Uni<Void> delete(@PathParam("name") String name) {
        return service.delete(name);
    }
}

package io.testum.alerts;

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

import io.smallrye.mutiny.Uni;
import io.testum.common.Created;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Violations;

/** {@code /api/alerts}: outgoing notifications (admin). */
@Path("/api/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AlertResource {

    private final AlertService alerts;

    AlertResource(AlertService alerts) {
        this.alerts = alerts;
    }

    @GET
    public Uni<List<AlertView>> list() {
        return alerts.list();
    }

    @POST
    public Uni<RestResponse<AlertView>> create(AlertRequest request) {
        return alerts.create(Violations.body(request)).map(v -> Created.at("/api/alerts/" + v.name(), v));
    }

    @GET
    @Path("{name}")
    public Uni<AlertView> get(@PathParam("name") String name) {
        return alerts.get(name);
    }

    @PUT
    @Path("{name}")
    public Uni<AlertView> update(@PathParam("name") String name, AlertRequest request) {
        return alerts.update(name, Violations.body(request));
    }

    @DELETE
    @Path("{name}")
    public Uni<Void> delete(@PathParam("name") String name) {
        return alerts.delete(name);
    }

    @GET
    @Path("{name}/deliveries")
    public Uni<Page<DeliveryView>> deliveries(@PathParam("name") String name, @QueryParam("page") Integer page,
            @QueryParam("size") Integer size) {
        return alerts.deliveries(name, PageRequest.of(page, size));
    }
}

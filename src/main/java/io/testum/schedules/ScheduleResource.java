package io.testum.schedules;

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
import io.testum.runs.RunViews;

/** {@code /api/schedules}: runs that fire on their own. */
@Path("/api/schedules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ScheduleResource {

    private final ScheduleService schedules;

    ScheduleResource(ScheduleService schedules) {
        this.schedules = schedules;
    }

    @GET
    public Uni<List<ScheduleView>> list() {
        return schedules.list();
    }

    @POST
    public Uni<RestResponse<ScheduleView>> create(ScheduleRequest request) {
        return schedules.create(Violations.body(request)).map(v -> Created.at("/api/schedules/" + v.name(), v));
    }

    @GET
    @Path("{name}")
    public Uni<ScheduleView> get(@PathParam("name") String name) {
        return schedules.get(name);
    }

    @PUT
    @Path("{name}")
    public Uni<ScheduleView> update(@PathParam("name") String name, ScheduleRequest request) {
        return schedules.update(name, Violations.body(request));
    }

    @DELETE
    @Path("{name}")
    public Uni<Void> delete(@PathParam("name") String name) {
        return schedules.delete(name);
    }

    @GET
    @Path("{name}/runs")
    public Uni<Page<RunViews.Summary>> runs(@PathParam("name") String name, @QueryParam("page") Integer page,
            @QueryParam("size") Integer size) {
        return schedules.runs(name, PageRequest.of(page, size));
    }
}

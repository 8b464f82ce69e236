package io.testum.auth;

import java.time.Instant;

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
import io.testum.common.Created;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Violations;

@Path("/api/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class UserResource {

    private final UserService service;
    private final SecurityIdentity identity;

    public UserResource(UserService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    /** The caller: who it is, its role, and whether it came through a session or an API token. */
    public record Me(String username, String role, boolean enabled, Instant createdAt, Instant lastLoginAt, String via) {
    }

    @GET
    @Path("me")
    public Uni<Me> me() {
        Caller caller = Caller.of(identity).orElseThrow();
        return service.require(caller.username()).map(u -> new Me(u.username(), caller.role().label(), u.enabled(),
                u.createdAt(), u.lastLoginAt(), caller.via()));
    }

    @GET
    public Uni<Page<UserService.View>> list(@QueryParam("q") String q, @QueryParam("page") Integer page,
            @QueryParam("size") Integer size) {
        return service.list(q, PageRequest.of(page, size));
    }

    @GET
    @Path("{username}")
    public Uni<UserService.View> get(@PathParam("username") String username) {
        return service.get(username);
    }

    @POST
    public Uni<RestResponse<UserService.View>> create(UserService.Request request) {
        return service.create(Violations.body(request)).map(v -> Created.at("/api/users/" + v.username(), v));
    }

    @PUT
    @Path("{username}")
    public Uni<UserService.View> update(@PathParam("username") String username, UserService.Request request) {
        return service.update(username, Violations.body(request));
    }

    @DELETE
    @Path("{username}")
    public Uni<Void> delete(@PathParam("username") String username) {
        return service.delete(username);
    }
}

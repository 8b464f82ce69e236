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

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.testum.auth.Caller;
import io.testum.common.Created;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Violations;

@Path("/api/credentials")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CredentialResource {

    private final CredentialService service;
    private final SecurityIdentity identity;

    public CredentialResource(CredentialService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    @GET
    public Uni<Page<CredentialView>> list(@QueryParam("q") String q, @QueryParam("page") Integer page,
            @QueryParam("size") Integer size) {
        return service.list(q, PageRequest.of(page, size));
    }

    @GET
    @Path("{name}")
    public Uni<CredentialView> get(@PathParam("name") String name) {
        return service.get(name);
    }

    @POST
    @Path("generate")
    public Uni<RestResponse<CredentialView>> generate(CredentialRequests.Generate request) {
        return service.generate(Violations.body(request), Caller.username(identity)).map(v -> Created.at("/api/credentials/" + v.name(), v));
    }

    @POST
    @Path("import")
    public Uni<RestResponse<CredentialView>> importSecret(CredentialRequests.Import request) {
        return service.importSecret(Violations.body(request), Caller.username(identity)).map(v -> Created.at("/api/credentials/" + v.name(), v));
    }

    /** The OpenSSH public line, ready to append to an authorized_keys file. */
    @GET
    @Path("{name}/public-key")
    @Produces(MediaType.TEXT_PLAIN)
    public Uni<String> publicKey(@PathParam("name") String name) {
        return service.publicKey(name).map(line -> line + "\n");
    }

    /**
     * Where the credential may be used: {@code {platforms: [names], selector: {labels}}}; both empty
     * lets it serve any platform. testum offers it to no other platform, whoever made the platform.
     */
    @PUT
    @Path("{name}/binding")
    public Uni<CredentialView> bind(@PathParam("name") String name, CredentialRequests.Binding binding) {
        return service.bind(name, Violations.body(binding), Caller.username(identity));
    }

    @DELETE
    @Path("{name}")
    public Uni<Void> delete(@PathParam("name") String name) {
        return service.delete(name);
    }

}

package io.testum.deploy;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;
import io.testum.common.Page;
import io.testum.common.PageRequest;

/**
 * {@code GET /api/platforms/{name}/unmanaged-keys}: the keys outside the platform's managed blocks,
 * paged; {@code /removal}: what {@code settings.unmanaged: remove} would remove there (a dry run).
 */
@Path("/api/platforms/{name}/unmanaged-keys")
@Produces(MediaType.APPLICATION_JSON)
public class PlatformUnmanagedKeyResource {

    private final UnmanagedKeyService service;

    public PlatformUnmanagedKeyResource(UnmanagedKeyService service) {
        this.service = service;
    }

    @GET
    public Uni<Page<UnmanagedKeyService.UnmanagedKeyView>> list(@PathParam("name") String name,
            @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return service.ofPlatform(name, PageRequest.of(page, size));
    }

    @GET
    @Path("removal")
    public Uni<UnmanagedKeyService.RemovalPreview> removal(@PathParam("name") String name) {
        return service.removal(name);
    }
}

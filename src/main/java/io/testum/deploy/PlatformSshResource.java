package io.testum.deploy;

import java.time.Duration;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.common.annotation.Blocking;
import io.testum.db.DatabaseConfig;
import io.testum.inventory.HostKeyPins;

/** What a platform's SSH side offers through the API: test the login, deploy keys, see them, forget a host key. */
@Path("/api/platforms/{name}")
@Produces(MediaType.APPLICATION_JSON)
public class PlatformSshResource {

    private final DeploymentRepository repository;
    private final DeploymentService deployments;
    private final PlatformConnector platforms;
    private final HostKeyPins pins;
    private final Duration databaseWait;

    public PlatformSshResource(DeploymentRepository repository, DeploymentService deployments, PlatformConnector platforms,
            HostKeyPins pins, DatabaseConfig database) {
        this.repository = repository;
        this.deployments = deployments;
        this.platforms = platforms;
        this.pins = pins;
        this.databaseWait = database.waitTimeout();
    }

    @POST
    @Path("test-ssh")
    @Blocking
    public PlatformConnector.SshTest testSsh(@PathParam("name") String name) {
        return platforms.testSsh(name);
    }

    @GET
    @Path("authorized-keys")
    @Blocking
    public AuthorizedKeysView authorizedKeys(@PathParam("name") String name) {
        DesiredState.PlatformRow platform = platforms.require(name);
        return AuthorizedKeysView.of(name, repository.forPlatform(platform.id()).await().atMost(databaseWait));
    }

    /** Deploys now, waits, and answers like {@code GET …/authorized-keys}. */
    @POST
    @Path("deploy-keys")
    @Blocking
    public AuthorizedKeysView deployKeys(@PathParam("name") String name) {
        return AuthorizedKeysView.of(name, deployments.deployNow(name));
    }

    /**
     * Forgets the host key pinned for the platform's address (by any platform there); the next
     * connection pins the key it finds, or the declared one.
     */
    @DELETE
    @Path("host-key")
    @Blocking
    public void forgetHostKey(@PathParam("name") String name) {
        DesiredState.PlatformRow platform = platforms.require(name);
        boolean forgotten = pins.forget(platform.host(), platform.port()).await().atMost(databaseWait);
        platforms.forgetKept(platform);
        if (forgotten) {
            deployments.retry(platform.id());
        }
    }
}

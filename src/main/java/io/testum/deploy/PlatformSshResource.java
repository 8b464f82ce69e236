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
import io.testum.ssh.SshConnection;
import io.testum.ssh.SshFailure;
import io.testum.ssh.SshWork;

/** What a platform's SSH side offers through the API: test the login, deploy keys, see them, forget a host key. */
@Path("/api/platforms/{name}")
@Produces(MediaType.APPLICATION_JSON)
public class PlatformSshResource {

    private final DeploymentRepository repository;
    private final DeploymentService deployments;
    private final PlatformSessions sessions;
    private final HostKeyPins pins;
    private final Duration databaseWait;

    public PlatformSshResource(DeploymentRepository repository, DeploymentService deployments, PlatformSessions sessions,
            HostKeyPins pins, DatabaseConfig database) {
        this.repository = repository;
        this.deployments = deployments;
        this.sessions = sessions;
        this.pins = pins;
        this.databaseWait = database.waitTimeout();
    }

    /** The answer of {@code POST …/test-ssh}. */
    public record SshTest(boolean reachable, boolean authenticated, Long latencyMs, String hostKeyFingerprint, String error) {
    }

    @POST
    @Path("test-ssh")
    @Blocking
    public SshTest testSsh(@PathParam("name") String name) {
        DesiredState.PlatformRow platform = sessions.require(name);
        long start = System.nanoTime();
        try (SshConnection connection = sessions.open(platform, SshWork.INTERACTIVE)) {
            long latency = (System.nanoTime() - start) / 1_000_000;
            return new SshTest(true, true, latency, connection.hostKeyFingerprint(), null);
        } catch (SshFailure e) {
            boolean reachable = e.kind() != SshFailure.Kind.UNREACHABLE;
            return new SshTest(reachable, false, reachable ? (System.nanoTime() - start) / 1_000_000 : null, null,
                    e.getMessage());
        }
    }

    @GET
    @Path("authorized-keys")
    @Blocking
    public AuthorizedKeysView authorizedKeys(@PathParam("name") String name) {
        DesiredState.PlatformRow platform = sessions.require(name);
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
        DesiredState.PlatformRow platform = sessions.require(name);
        if (pins.forget(platform.host(), platform.port()).await().atMost(databaseWait)) {
            deployments.retry(platform.id());
        }
    }
}

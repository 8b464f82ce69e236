package io.testum.deploy;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.testum.common.NotFoundException;
import io.testum.db.DatabaseConfig;
import io.testum.ssh.SshConnection;
import io.testum.ssh.SshWork;

/**
 * Opens SSH connections to platforms by name, the way deployments do ({@link PlatformLogin}): the
 * platform's credential where its binding allows, and the host key judged against the address's
 * pin. Blocking; call it off the event loop.
 */
@ApplicationScoped
public class PlatformSessions {

    private final DeploymentRepository repository;
    private final PlatformLogin login;
    private final Duration databaseWait;

    public PlatformSessions(DeploymentRepository repository, PlatformLogin login, DatabaseConfig database) {
        this.repository = repository;
        this.login = login;
        this.databaseWait = database.waitTimeout();
    }

    /** The platform named {@code name}; 404 when there is none. */
    public DesiredState.PlatformRow require(String name) {
        DesiredState.PlatformRow platform = repository.platform(name).await().atMost(databaseWait);
        if (platform == null) {
            throw new NotFoundException("platform", name);
        }
        return platform;
    }

    /** Connects to {@code platform} for {@code work}; throws {@link io.testum.ssh.SshFailure} when that fails. */
    public SshConnection open(DesiredState.PlatformRow platform, SshWork work) {
        DeploymentRepository.CredentialRow credential = repository.credential(platform.credential()).await().atMost(databaseWait);
        return login.open(new Deployer.Access(platform, credential), work);
    }

    /** Connects to the platform named {@code name} for {@code work}; 404 when there is none. */
    public SshConnection open(String name, SshWork work) {
        return open(require(name), work);
    }
}

package io.testum.deploy;

import jakarta.enterprise.context.ApplicationScoped;

import io.testum.common.NotFoundException;
import io.testum.ssh.SshConnection;

/**
 * Opens SSH connections to platforms by name, the way deployments do: the platform's credential,
 * its declared or pinned host key under the configured policy, and the key pinned at first contact.
 * Blocking; call it off the event loop.
 */
@ApplicationScoped
public class PlatformSessions {

    private final DeploymentRepository repository;
    private final Deployer deployer;

    public PlatformSessions(DeploymentRepository repository, Deployer deployer) {
        this.repository = repository;
        this.deployer = deployer;
    }

    /** The platform named {@code name}; 404 when there is none. */
    public DesiredState.PlatformRow require(String name) {
        DesiredState.PlatformRow platform = repository.platform(name).await().indefinitely();
        if (platform == null) {
            throw new NotFoundException("platform", name);
        }
        return platform;
    }

    /** Connects to {@code platform}; throws {@link io.testum.ssh.SshFailure} when that fails. */
    public SshConnection open(DesiredState.PlatformRow platform) {
        DeploymentRepository.CredentialRow credential = repository.credential(platform.credential()).await().indefinitely();
        SshConnection connection = deployer.connect(new Deployer.Access(platform, credential));
        if (platform.expectedHostKey() == null) {
            try {
                repository.pin(platform.id(), connection.hostKeyFingerprint()).await().indefinitely();
            } catch (RuntimeException e) {
                connection.close();
                throw e;
            }
        }
        return connection;
    }

    /** Connects to the platform named {@code name}; 404 when there is none. */
    public SshConnection open(String name) {
        return open(require(name));
    }
}

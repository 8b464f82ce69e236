package io.testum.deploy;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.testum.db.DatabaseConfig;
import io.testum.inventory.HostKeyPins;

/**
 * A platform's pinned host key: what is pinned, the key the host presented instead when a
 * connection was refused for it, and forgetting the pin (admin) so that the next connection pins
 * what it finds, or the declared key, and closing the connections kept open to it. Blocking: call it on a worker thread.
 */
@ApplicationScoped
public class HostKeyService {

    /** How a refused connection names the key it was shown ({@code SshConnector}, {@code PlatformConnector}). */
    private static final Pattern PRESENTED = Pattern.compile("presented host key (SHA256:[A-Za-z0-9+/=]+)");

    private final PlatformConnector platforms;
    private final HostKeyPins pins;
    private final DeploymentRepository repository;
    private final DeploymentService deployments;
    private final Duration databaseWait;

    HostKeyService(PlatformConnector platforms, HostKeyPins pins, DeploymentRepository repository, DeploymentService deployments,
            DatabaseConfig database) {
        this.platforms = platforms;
        this.pins = pins;
        this.repository = repository;
        this.deployments = deployments;
        this.databaseWait = database.waitTimeout();
    }

    /**
     * What an admin sees before forgetting a pin.
     *
     * @param pin       the pin of the platform's address, or null
     * @param presented the key the host presented at the last refused deployment, or null when none was refused
     */
    public record Standing(String platform, String address, String declared, HostKeyPins.Pin pin, String presented) {
    }

    public Standing standing(String name) {
        DesiredState.PlatformRow platform = platforms.require(name);
        HostKeyPins.Pin pin = pins.find(platform.host(), platform.port()).await().atMost(databaseWait);
        return new Standing(name, platform.host() + ":" + platform.port(), platform.declaredHostKey(), pin,
                presented(repository.forPlatform(platform.id()).await().atMost(databaseWait)));
    }

    /** The key named by the newest host-key refusal among {@code records}, or null. */
    static String presented(List<DeploymentRecord> records) {
        return records.stream().filter(r -> r.status() == DeploymentStatus.HOST_KEY_MISMATCH && r.lastError() != null)
                .sorted((a, b) -> b.lastAttemptAt() == null || a.lastAttemptAt() == null ? 0 : b.lastAttemptAt().compareTo(a.lastAttemptAt()))
                .map(r -> PRESENTED.matcher(r.lastError())).filter(Matcher::find).map(m -> m.group(1)).findFirst().orElse(null);
    }

    /**
     * Forgets the host key pinned for the platform's address (by any platform there) and retries the
     * platform's deployments that are not in sync; answers whether a key was pinned.
     */
    public boolean forget(String name) {
        DesiredState.PlatformRow platform = platforms.require(name);
        boolean forgotten = pins.forget(platform.host(), platform.port()).await().atMost(databaseWait);
        // A connection kept open from the old pin must never serve the address again.
        platforms.forgetKept(platform);
        if (forgotten) {
            deployments.retry(platform.id());
        }
        return forgotten;
    }
}

package io.testum.deploy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.testum.keys.CredentialSecrets;
import io.testum.ssh.SshAuth;
import io.testum.ssh.SshFailure;
import io.testum.ssh.SshKeys;

/**
 * testum's own public keys, which every block of an account testum logs in as must keep: those
 * stored with their credential, and those of credentials whose private key lives in a Kubernetes
 * Secret ({@code secret_ref}), read from the Secret (cached there for a short while). Blocking.
 */
@ApplicationScoped
public class LoginKeys {

    private static final Logger LOG = Logger.getLogger(LoginKeys.class);

    /** How long a Secret that could not be read is not asked again: a cluster that does not answer must not slow every pass. */
    static final Duration RETRY = Duration.ofSeconds(30);

    private final CredentialSecrets secrets;
    private final Map<String, Long> failedAt = new ConcurrentHashMap<>();

    public LoginKeys(CredentialSecrets secrets) {
        this.secrets = secrets;
    }

    /** The public line of every key credential, by name; a Secret that cannot be read leaves its credential out. */
    public Map<String, String> of(DesiredState.Inventory inventory) {
        Map<String, String> keys = new HashMap<>(inventory.testumKeys());
        keys.putAll(ofSecretRefs(inventory.secretRefs()));
        return keys;
    }

    /**
     * The public line of each credential of {@code secretRefs} (credential name to Kubernetes Secret),
     * by name, read from its Secret; a Secret that cannot be read leaves its credential out.
     */
    public Map<String, String> ofSecretRefs(Map<String, String> secretRefs) {
        Map<String, String> keys = new HashMap<>();
        secretRefs.forEach((name, secret) -> {
            Long failed = failedAt.get(name + "/" + secret);
            if (failed != null && System.nanoTime() - failed < RETRY.toNanos()) {
                return;
            }
            try {
                if (secrets.open(name, null, null, secret) instanceof SshAuth.Key key) {
                    keys.put(name, SshKeys.publicLineOf(key.openSshPrivateKey()) + " testum-" + name);
                }
                failedAt.remove(name + "/" + secret);
            } catch (IllegalStateException | SshFailure e) {
                // The deployment connects with the same credential and reports the reason.
                failedAt.put(name + "/" + secret, System.nanoTime());
                LOG.debugf("No public key for credential %s from its Kubernetes Secret: %s", name, e.getMessage());
            }
        });
        return keys;
    }
}

package io.testum.deploy;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.testum.common.NotFoundException;
import io.testum.db.DatabaseConfig;
import io.testum.inventory.HostKeyPins;
import io.testum.keys.CredentialSecrets;
import io.testum.ssh.HostKeyGate;
import io.testum.ssh.HostKeyRules;
import io.testum.ssh.KeepFor;
import io.testum.ssh.SshAuth;
import io.testum.ssh.SshConfig;
import io.testum.ssh.SshConnection;
import io.testum.ssh.SshConnector;
import io.testum.ssh.SshFailure;
import io.testum.ssh.SshTarget;
import io.testum.ssh.SshWork;

/**
 * Opens SSH connections to platforms: the one place every connection to a platform starts
 * (deployments, drift checks, runs, stats, and the one test-SSH that the API and the UI share).
 * It applies the host-key policy ({@code testum.ssh.host-key-policy}: strict or TOFU) and pins
 * host keys, and asks {@code keys} for the platform's credential as a login. It offers the credential
 * only where its binding allows, and judges the host key against the pin of the platform's
 * address before anything is sent:
 * <ul>
 * <li>a pin must match, and a declared {@code host_key} must agree with the pin (a declaration
 * never overrides a pin; an admin forgets the pin, or declares the key through the API);</li>
 * <li>without a pin, a declared key must match and is pinned; else (policy {@code tofu}) the key
 * is pinned at first contact, before the credential is sent;</li>
 * <li>a password goes only to a trusted pin: declared by an admin or a GitOps source, or first
 * seen at an address that an admin or a GitOps source chose. A key first seen at an address an
 * operator typed serves key logins only, until an admin declares it.</li>
 * </ul>
 * Blocking; call it off the event loop.
 */
@ApplicationScoped
public class PlatformConnector {

    private static final Logger LOG = Logger.getLogger(PlatformConnector.class);

    private final DeploymentRepository repository;
    private final SshConnector connector;
    private final CredentialSecrets secrets;
    private final SshConfig config;
    private final HostKeyPins pins;
    private final Duration databaseWait;

    public PlatformConnector(DeploymentRepository repository, SshConnector connector, CredentialSecrets secrets,
            SshConfig config, HostKeyPins pins, DatabaseConfig database) {
        this.repository = repository;
        this.connector = connector;
        this.secrets = secrets;
        this.config = config;
        this.pins = pins;
        this.databaseWait = database.waitTimeout();
    }

    /** The answer of a test login ({@code POST /api/platforms/{name}/test-ssh}, and the platform page's button). */
    public record SshTest(boolean reachable, boolean authenticated, Long latencyMs, String hostKeyFingerprint, String error) {
    }

    /** The platform named {@code name}; 404 when there is none. */
    public DesiredState.PlatformRow require(String name) {
        DesiredState.PlatformRow platform = repository.platform(name).await().atMost(databaseWait);
        if (platform == null) {
            throw new NotFoundException("platform", name);
        }
        return platform;
    }

    /** Connects to the platform named {@code name} for {@code work}; 404 when there is none. */
    public SshConnection open(String name, SshWork work) {
        return open(require(name), work);
    }

    /** Logs in to {@code p} for {@code work}; throws {@link SshFailure} when that fails. */
    public SshConnection open(DesiredState.PlatformRow p, SshWork work) {
        return connector.connect(target(p), work);
    }

    /** Where and as whom to log in to {@code p}, with its credential as it is now and its host-key gate. */
    private SshTarget target(DesiredState.PlatformRow p) {
        if (HostKeyRules.beforeConnect(config.hostKeyPolicy(), p.declaredHostKey()) != null) {
            throw new SshFailure(SshFailure.Kind.FAILED, "testum.ssh.host-key-policy is strict and platform '" + p.name()
                    + "' declares no host_key");
        }
        SshAuth auth = secrets.loginFor(p.credential(), p.name(), p.labels());
        return new SshTarget(p.host(), p.port(), p.username(), auth, null, gate(p));
    }

    /**
     * Logs in to {@code p} for a deployment, or hands out the connection the last deployment to it
     * kept open ({@code testum.ssh.keep-alive}) when that was opened for the same login: the same
     * address, account, credential and secret, and the host key pinned for the platform now. Give
     * it back with {@link #keep} when done.
     */
    public SshConnection openKept(DesiredState.PlatformRow p, SshWork work) {
        return connector.connect(target(p),
                new KeepFor("platform " + p.id() + " " + p.name(), p.credential(), p.expectedHostKey()), work);
    }

    /** Done with a deployment's connection: kept for the platform's next deployment if it may be, else closed. */
    public void keep(SshConnection connection) {
        connector.keep(connection);
    }

    /** Closes the connections kept to the platform's address: its host key was forgotten. */
    public void forgetKept(DesiredState.PlatformRow p) {
        connector.forgetKept(p.host(), p.port());
    }

    /** Logs in to the platform named {@code name} as deployments do, and says how that went; 404 when there is none. */
    public SshTest testSsh(String name) {
        DesiredState.PlatformRow platform = require(name);
        long start = System.nanoTime();
        try (SshConnection connection = open(platform, SshWork.INTERACTIVE)) {
            long latency = (System.nanoTime() - start) / 1_000_000;
            return new SshTest(true, true, latency, connection.hostKeyFingerprint(), null);
        } catch (SshFailure e) {
            boolean reachable = e.kind() != SshFailure.Kind.UNREACHABLE;
            return new SshTest(reachable, false, reachable ? (System.nanoTime() - start) / 1_000_000 : null, null,
                    e.getMessage());
        }
    }

    /** Judges the presented key by {@link HostKeyRules} against the address's pin, pinning it at first contact. */
    HostKeyGate gate(DesiredState.PlatformRow p) {
        return fingerprint -> {
            HostKeyPins.Standing standing = pins.standing(p.id(), p.host(), p.port()).await().atMost(databaseWait);
            HostKeyPins.Pin pin = standing.pin();
            HostKeyRules.Decision decision = HostKeyRules.judge(fingerprint, p.declaredHostKey(),
                    pin == null ? null : new HostKeyRules.Pin(pin.fingerprint(), pin.trusted()), standing.addressVouched());
            return switch (decision) {
                case HostKeyRules.Decision.Refuse refuse -> throw refused(p, fingerprint, refuse.why(), pin);
                case HostKeyRules.Decision.Admit admit -> {
                    if (admit.trustPin()) {
                        pins.trust(p.host(), p.port(), fingerprint).await().atMost(databaseWait);
                    }
                    yield admit.verdict();
                }
                case HostKeyRules.Decision.PinNow pinNow -> pin(p, fingerprint, pinNow);
            };
        };
    }

    private HostKeyGate.Verdict pin(DesiredState.PlatformRow p, String fingerprint, HostKeyRules.Decision.PinNow decision) {
        HostKeyPins.Pin now = pins.pinIfAbsent(p.host(), p.port(), fingerprint, decision.trusted(),
                decision.declared() ? "declared" : "first_contact", "platform " + p.name()).await().atMost(databaseWait);
        if (!now.fingerprint().equals(fingerprint)) {
            throw mismatch(p, fingerprint + ", but " + now.fingerprint() + " was pinned for " + address(p) + " meanwhile");
        }
        LOG.infof("Pinned the host key of %s (%s) at first contact: %s%s", p.name(), address(p), fingerprint,
                now.trusted() ? "" : " (an operator set the address: good for key logins; an admin declares it for passwords)");
        return now.trusted() ? HostKeyGate.Verdict.TRUSTED : HostKeyGate.Verdict.PINNED;
    }

    private static SshFailure refused(DesiredState.PlatformRow p, String fingerprint, HostKeyRules.Refusal why,
            HostKeyPins.Pin pin) {
        String declared = p.declaredHostKey();
        return mismatch(p, switch (why) {
            case PIN_MISMATCH -> fingerprint + ", but " + pin.fingerprint() + " is pinned for " + address(p)
                    + ". If the host was rebuilt, an admin can forget the pinned key (DELETE /api/platforms/"
                    + p.name() + "/host-key)";
            case DECLARED_DISAGREES_WITH_PIN -> fingerprint + ", which is pinned for " + address(p)
                    + ", but the platform declares host_key " + declared + ". A declaration does not replace a pin: "
                    + "an admin can forget the pin (DELETE /api/platforms/" + p.name() + "/host-key), or declare "
                    + "the key through the API";
            case DECLARED_MISMATCH -> fingerprint + ", but the platform declares host_key " + declared;
            case STRICT_WITHOUT_DECLARED_KEY -> fingerprint + ", but platform '" + p.name() + "' declares no host_key";
        });
    }

    private static SshFailure mismatch(DesiredState.PlatformRow p, String what) {
        return new SshFailure(SshFailure.Kind.HOST_KEY_MISMATCH, address(p) + " (platform '" + p.name()
                + "') presented host key " + what);
    }

    private static String address(DesiredState.PlatformRow p) {
        return (p.host().contains(":") ? "[" + p.host() + "]" : p.host()) + ":" + p.port();
    }
}

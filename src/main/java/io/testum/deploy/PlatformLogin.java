package io.testum.deploy;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.testum.db.DatabaseConfig;
import io.testum.keys.CredentialSecrets;
import io.testum.ssh.HostKeyGate;
import io.testum.ssh.SshAuth;
import io.testum.ssh.SshConfig;
import io.testum.ssh.SshConnection;
import io.testum.ssh.SshConnector;
import io.testum.ssh.SshFailure;
import io.testum.ssh.SshTarget;
import io.testum.ssh.SshWork;

/**
 * Turns a platform and its credential into an SSH login: the one place every connection to a
 * platform starts (deployments, drift checks, runs, stats, test-ssh). It offers the credential
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
public class PlatformLogin {

    private static final Logger LOG = Logger.getLogger(PlatformLogin.class);

    private final SshConnector connector;
    private final CredentialSecrets secrets;
    private final SshConfig config;
    private final HostKeyPins pins;
    private final Duration databaseWait;

    public PlatformLogin(SshConnector connector, CredentialSecrets secrets, SshConfig config, HostKeyPins pins,
            DatabaseConfig database) {
        this.connector = connector;
        this.secrets = secrets;
        this.config = config;
        this.pins = pins;
        this.databaseWait = database.waitTimeout();
    }

    /** Logs in to the platform of {@code access} for {@code work}; throws {@link SshFailure} when that fails. */
    public SshConnection open(Deployer.Access access, SshWork work) {
        DesiredState.PlatformRow p = access.platform();
        if (config.hostKeyPolicy() == SshConfig.HostKeyPolicy.STRICT && p.declaredHostKey() == null) {
            throw new SshFailure(SshFailure.Kind.FAILED, "testum.ssh.host-key-policy is strict and platform '" + p.name()
                    + "' declares no host_key");
        }
        DeploymentRepository.CredentialRow credential = access.credential();
        if (credential == null) {
            throw new SshFailure(SshFailure.Kind.FAILED, "platform '" + p.name() + "' has no credential; give it one");
        }
        if (!credential.allows(p)) {
            throw new SshFailure(SshFailure.Kind.FAILED, "credential '" + credential.name() + "' is bound to "
                    + credential.binding() + "; platform '" + p.name() + "' is not among them, so testum does not offer it "
                    + "there. An admin can change the binding (PUT /api/credentials/" + credential.name() + "/binding)");
        }
        SshAuth auth;
        try {
            auth = secrets.open(credential.name(), credential.kind(), credential.secret(), credential.secretRef());
        } catch (IllegalStateException e) {
            throw new SshFailure(SshFailure.Kind.FAILED, e.getMessage());
        }
        return connector.connect(new SshTarget(p.host(), p.port(), p.username(), auth, null, gate(p)), work);
    }

    /** Judges the presented key against the address's pin, pinning it at first contact. */
    HostKeyGate gate(DesiredState.PlatformRow p) {
        return fingerprint -> {
            HostKeyPins.Standing standing = pins.standing(p.id(), p.host(), p.port()).await().atMost(databaseWait);
            String declared = p.declaredHostKey();
            HostKeyPins.Pin pin = standing.pin();
            if (pin != null) {
                if (!pin.fingerprint().equals(fingerprint)) {
                    throw mismatch(p, fingerprint + ", but " + pin.fingerprint() + " is pinned for " + address(p)
                            + ". If the host was rebuilt, an admin can forget the pinned key (DELETE /api/platforms/"
                            + p.name() + "/host-key)");
                }
                if (declared != null && !declared.equals(pin.fingerprint())) {
                    throw mismatch(p, fingerprint + ", which is pinned for " + address(p) + ", but the platform declares "
                            + "host_key " + declared + ". A declaration does not replace a pin: an admin can forget the pin "
                            + "(DELETE /api/platforms/" + p.name() + "/host-key), or declare the key through the API");
                }
                boolean vouched = declared != null || standing.addressVouched();
                if (!pin.trusted() && vouched) {
                    pins.trust(p.host(), p.port(), fingerprint).await().atMost(databaseWait);
                }
                return pin.trusted() || vouched ? HostKeyGate.Verdict.TRUSTED : HostKeyGate.Verdict.PINNED;
            }
            if (declared != null && !declared.equals(fingerprint)) {
                throw mismatch(p, fingerprint + ", but the platform declares host_key " + declared);
            }
            boolean trusted = declared != null || standing.addressVouched();
            HostKeyPins.Pin now = pins.pinIfAbsent(p.host(), p.port(), fingerprint, trusted,
                    declared != null ? "declared" : "first_contact", "platform " + p.name()).await().atMost(databaseWait);
            if (!now.fingerprint().equals(fingerprint)) {
                throw mismatch(p, fingerprint + ", but " + now.fingerprint() + " was pinned for " + address(p) + " meanwhile");
            }
            LOG.infof("Pinned the host key of %s (%s) at first contact: %s%s", p.name(), address(p), fingerprint,
                    now.trusted() ? "" : " (an operator set the address: good for key logins; an admin declares it for passwords)");
            return now.trusted() ? HostKeyGate.Verdict.TRUSTED : HostKeyGate.Verdict.PINNED;
        };
    }

    private static SshFailure mismatch(DesiredState.PlatformRow p, String what) {
        return new SshFailure(SshFailure.Kind.HOST_KEY_MISMATCH, address(p) + " (platform '" + p.name()
                + "') presented host key " + what);
    }

    private static String address(DesiredState.PlatformRow p) {
        return (p.host().contains(":") ? "[" + p.host() + "]" : p.host()) + ":" + p.port();
    }
}

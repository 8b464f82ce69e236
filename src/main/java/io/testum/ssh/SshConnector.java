package io.testum.ssh;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactoryFactory;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.apache.sshd.core.CoreModuleProperties;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

import io.testum.common.BlockingWork;
import io.testum.common.BoundedCache;
import io.testum.common.Sha256;

/**
 * Opens SSH connections: the one place testum talks to MINA's client. It checks the host key
 * before any credential is sent, sends a password only to a key an admin or a GitOps source
 * vouched for, and never has more than {@code testum.ssh.max-concurrency} connections open at
 * once, shared out by kind of work ({@link SshWork}).
 */
@Singleton
@Startup // checks the shares of testum.ssh.max-concurrency when the service starts, not at the first connection
public class SshConnector {

    private static final Duration SLOT_WAIT = Duration.ofMinutes(10);
    /** A person waiting for test-ssh or stats gives up long before a run would. */
    private static final Duration INTERACTIVE_SLOT_WAIT = Duration.ofSeconds(30);

    /**
     * The key exchanges testum offers, most preferred first: MINA's default order without
     * sntrup761x25519. Bouncy Castle's sntrup761 costs about 150 ms of CPU per connection (ML-KEM
     * about 1 ms, X25519 about 2 ms), and OpenSSH 9 offers it first, so a run across hundreds of
     * hosts would spend most of its time there. mlkem768x25519-sha256, the post-quantum hybrid
     * that OpenSSH 10 prefers, stays first; a server without it agrees on curve25519-sha256.
     * <p>
     * A method, not a static constant: this class is initialized while a native image is built, and
     * MINA's enum constants, initialized at run time, must not end up in the image heap.
     */
    static List<BuiltinDHFactories> keyExchanges() {
        return List.of(
                BuiltinDHFactories.mlkem768x25519, BuiltinDHFactories.mlkem1024nistp384, BuiltinDHFactories.mlkem768nistp256,
                BuiltinDHFactories.curve25519, BuiltinDHFactories.curve25519_libssh, BuiltinDHFactories.curve448,
                BuiltinDHFactories.ecdhp521, BuiltinDHFactories.ecdhp384, BuiltinDHFactories.ecdhp256,
                BuiltinDHFactories.dhgex256, BuiltinDHFactories.dhg18_512, BuiltinDHFactories.dhg17_512,
                BuiltinDHFactories.dhg16_512, BuiltinDHFactories.dhg15_512, BuiltinDHFactories.dhg14_256);
    }

    /**
     * Where a session keeps the host key it was offered. An instance field, created with the bean at
     * run time: a MINA object in a static constant would be built into a native image's heap while
     * MINA itself initializes at run time.
     */
    private final AttributeRepository.AttributeKey<PublicKey> serverKey = new AttributeRepository.AttributeKey<>();

    private final SshClient client;
    private final SshSlots slots;
    private final Duration connectTimeout;
    private final MeterRegistry meters;
    private final Gauge activeGauge;
    private final Gauge idleGauge;
    private final KeptConnections kept;

    public SshConnector(SshConfig config, MeterRegistry meters) {
        MinaSecurity.configure();
        this.connectTimeout = config.connectTimeout();
        this.slots = new SshSlots(config);
        List<KeyExchangeFactory> keyExchanges = config.kexAlgorithms().map(SshConnector::keyExchanges)
                .orElseGet(() -> NamedFactory.setUpTransformedFactories(false, keyExchanges(), ClientBuilder.DH2KEX));
        this.client = ClientBuilder.builder().keyExchangeFactories(keyExchanges).build();
        // Named here rather than found by class name (which a native image would have to be told of).
        client.setIoServiceFactoryFactory(new Nio2ServiceFactoryFactory());
        // Record the key; SshConnector compares it with the pin after key exchange, before authenticating.
        client.setServerKeyVerifier((session, address, key) -> {
            session.setAttribute(serverKey, key);
            return true;
        });
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, Duration.ofSeconds(15));
        // A kept connection is idle until the next deployment: MINA must not end it before testum.ssh.keep-alive does.
        Duration keptFor = config.keepAlive().idleTimeout().plusMinutes(1);
        CoreModuleProperties.IDLE_TIMEOUT.set(client, keptFor.compareTo(Duration.ofMinutes(5)) > 0 ? keptFor : Duration.ofMinutes(5));
        CoreModuleProperties.AUTH_TIMEOUT.set(client, connectTimeout);
        client.start();
        this.kept = new KeptConnections(config.keepAlive().enabled(), config.keepAlive().maxIdle(),
                config.keepAlive().idleTimeout());
        this.meters = meters;
        this.activeGauge = Gauge.builder("testum_ssh_sessions_active", this, SshConnector::active)
                .description("SSH sessions open at this moment").register(meters);
        this.idleGauge = Gauge.builder("testum_ssh_sessions_idle", this, c -> c.kept.size())
                .description("SSH sessions kept open, idle, for the next deployment (testum.ssh.keep-alive)").register(meters);
    }

    /**
     * The key exchanges named in {@code names} ({@code testum.ssh.kex-algorithms}), in that order,
     * chosen from all that MINA supports; an unknown name stops the start.
     */
    static List<KeyExchangeFactory> keyExchanges(List<String> names) {
        Map<String, KeyExchangeFactory> known = new LinkedHashMap<>();
        NamedFactory.setUpTransformedFactories(true, BuiltinDHFactories.VALUES, ClientBuilder.DH2KEX)
                .forEach(f -> known.put(f.getName(), f));
        List<KeyExchangeFactory> chosen = new ArrayList<>();
        for (String name : names) {
            KeyExchangeFactory factory = known.get(name.strip());
            if (factory == null) {
                throw new IllegalArgumentException("testum.ssh.kex-algorithms: '" + name + "' is not a key exchange testum "
                        + "offers; choose from " + String.join(", ", known.keySet()));
            }
            chosen.add(factory);
        }
        return chosen;
    }

    @PreDestroy
    void stop() {
        // The registry may outlive this bean (a restarted application in the same JVM): a gauge left
        // behind would keep reading this stopped instance, and would hide the next one's.
        meters.remove(activeGauge);
        meters.remove(idleGauge);
        kept.close();
        try {
            client.stop();
        } catch (RuntimeException e) {
            // shutting down anyway
        }
    }

    /** Sessions open at this moment. */
    public int active() {
        return slots.active();
    }

    /** The most sessions {@code work} may hold at once. */
    public int capacity(SshWork work) {
        return slots.capacity(work);
    }

    /**
     * Connects, checks the host key (against {@code target.pinnedHostKey()}, else with
     * {@code target.gate()}), and authenticates, in a slot of {@code work}'s share. Blocks for at
     * most the connect timeout once a slot is free.
     *
     * @throws SshFailure classified: unreachable, host key mismatch, authentication, failed
     */
    public SshConnection connect(SshTarget target, SshWork work) {
        BlockingWork.refuseOnEventLoop("An SSH connection to " + target.host());
        acquireSlot(target, work);
        return open(target, () -> slots.release(work));
    }

    /**
     * Like {@link #connect(SshTarget, SshWork)}, but hands out the connection kept for
     * {@code keep.owner()} when there is one and it was opened for the very same login: same
     * address, account, credential and secret, and a verified host key equal to
     * {@code keep.expectedHostKey()}; such a connection takes a slot like a new one, and says
     * {@link SshConnection#reused()}. Anything else logs in anew (checking the host key as
     * {@code target} says). Hand the connection to {@link #keep} when done rather than closing it.
     */
    public SshConnection connect(SshTarget target, KeepFor keep, SshWork work) {
        BlockingWork.refuseOnEventLoop("An SSH connection to " + target.host());
        KeptConnections.Parked parked = kept.take(KeptConnections.Identity.of(target, keep, keep.expectedHostKey()));
        try {
            acquireSlot(target, work);
        } catch (SshFailure e) {
            if (parked != null) {
                parked.close();
            }
            throw e;
        }
        if (parked != null) {
            return new SshConnection(parked.session(), parked.target(), parked.hostKeyFingerprint(), parked.loginKey(),
                    () -> slots.release(work), keep, true, parked.loggedInAt());
        }
        return open(target, keep, () -> slots.release(work));
    }

    /**
     * Done with {@code connection}: keeps it open, idle and without a slot, for its owner's next
     * deployment when it was opened with a {@link KeepFor}, keeping is on
     * ({@code testum.ssh.keep-alive}), and it logged in less than {@code idle-timeout} ago (a
     * connection kept from an earlier deployment that only read goes back; one serves for at
     * most twice the idle timeout in all); else closes it.
     */
    public void keep(SshConnection connection) {
        if (connection.keep() == null || !kept.enabled() || !connection.isOpen() || !kept.young(connection.loggedInAt())) {
            connection.close();
            return;
        }
        KeptConnections.Parked parked = connection.detach(KeptConnections.Identity.of(connection.target(),
                connection.keep(), connection.hostKeyFingerprint()));
        if (parked != null) {
            kept.keep(parked);
        }
    }

    /** Closes the connections kept to {@code host}:{@code port}: its host key was forgotten. */
    public void forgetKept(String host, int port) {
        kept.forget(host, port);
    }

    /** Idle connections kept at this moment. */
    public long kept() {
        return kept.size();
    }

    /** Turns keeping connections on or off while running, for tests and benchmarks that compare the two. */
    void keepAlive(boolean on) {
        kept.enabled(on);
    }

    /**
     * Logs in again, on a fresh connection, to the host {@code open} is connected to, with the
     * same credential and host key: to prove that a change left the door open, or to put a file
     * back when {@code open} was lost. The new connection borrows the slot of {@code open}, so a
     * full service cannot wait on itself; close it before {@code open}.
     *
     * @throws SshFailure when the host does not let testum in
     */
    public SshConnection reconnect(SshConnection open) {
        return open(open.target(), open.keep(), () -> { });
    }

    private SshConnection open(SshTarget target, Runnable release) {
        return open(target, null, release);
    }

    private SshConnection open(SshTarget target, KeepFor keep, Runnable release) {
        ClientSession session = null;
        try {
            long deadline = System.nanoTime() + connectTimeout.toNanos();
            session = client.connect(target.username(), target.host(), target.port())
                    .verify(connectTimeout.toMillis()).getClientSession();
            session.waitFor(EnumSet.of(ClientSession.ClientSessionEvent.WAIT_AUTH, ClientSession.ClientSessionEvent.CLOSED),
                    remaining(deadline));
            PublicKey offered = session.getAttribute(serverKey);
            if (offered == null) {
                throw new SshFailure(SshFailure.Kind.UNREACHABLE, target.address() + " did not complete the SSH key exchange "
                        + "within " + connectTimeout.toSeconds() + " s");
            }
            String fingerprint = HostKeys.fingerprint(offered);
            HostKeyGate.Verdict verdict = admit(target, fingerprint);
            if (target.auth() instanceof SshAuth.Password && verdict != HostKeyGate.Verdict.TRUSTED) {
                throw new SshFailure(SshFailure.Kind.FAILED, "testum did not send the password to " + target.address()
                        + ": its host key " + fingerprint + (verdict == null ? " is not pinned" : " was pinned at first contact "
                        + "of an address an operator set, and no admin vouched for it") + ". A password goes only to a "
                        + "host key an admin or a GitOps source declared (host_key), or that was first seen at an address "
                        + "they chose");
            }
            String loginKey = authenticate(session, target, remaining(deadline));
            return new SshConnection(session, target, fingerprint, loginKey, release, keep, false, System.nanoTime());
        } catch (SshFailure e) {
            closeQuietly(session);
            release.run();
            throw e;
        } catch (IOException | RuntimeException e) {
            closeQuietly(session);
            release.run();
            throw classify(target, e);
        }
    }

    /**
     * How far the presented key is trusted: a fixed pin must match (the fresh login after a write
     * reuses the key its first connection verified); else the gate decides; without either, the
     * key is only reported.
     */
    private static HostKeyGate.Verdict admit(SshTarget target, String fingerprint) {
        if (target.pinnedHostKey() != null) {
            if (!target.pinnedHostKey().equals(fingerprint)) {
                throw new SshFailure(SshFailure.Kind.HOST_KEY_MISMATCH, target.address() + " presented host key "
                        + fingerprint + ", but " + target.pinnedHostKey() + " is pinned. If the host was rebuilt, an admin "
                        + "can forget the pinned key (DELETE /api/platforms/{name}/host-key)");
            }
            return HostKeyGate.Verdict.TRUSTED;
        }
        return target.gate() == null ? null : target.gate().admit(fingerprint);
    }

    /**
     * Credentials read into key pairs, by the digest of their text: a run or a deployment to
     * hundreds of hosts with one credential reads it once, not once per host.
     */
    private final BoundedCache<String, Identity> identities = BoundedCache.of(1024);

    /** A credential's key pair and its public key as {@code type base64}. */
    private record Identity(KeyPair pair, String publicKey) {
    }

    private Identity identity(String openSsh) {
        return identities.get(Sha256.hex(openSsh), digest -> {
            KeyPair pair = SshKeys.keyPair(openSsh);
            return new Identity(pair, SshKeys.publicLine(pair.getPublic()));
        });
    }

    /** Authenticates; returns the public key used, or null for a password. */
    private String authenticate(ClientSession session, SshTarget target, long timeoutMillis) throws IOException {
        String loginKey = null;
        if (target.auth() instanceof SshAuth.Key key) {
            Identity identity = identity(key.openSshPrivateKey());
            session.addPublicKeyIdentity(identity.pair());
            loginKey = identity.publicKey();
        } else if (target.auth() instanceof SshAuth.Password password) {
            session.addPasswordIdentity(password.password());
        }
        try {
            session.auth().verify(timeoutMillis);
        } catch (IOException e) {
            throw new SshFailure(SshFailure.Kind.AUTHENTICATION, target + " refused testum's "
                    + (target.auth() instanceof SshAuth.Key ? "key" : "password") + ": " + message(e), e);
        }
        return loginKey;
    }

    private void acquireSlot(SshTarget target, SshWork work) {
        Duration wait = work == SshWork.INTERACTIVE ? INTERACTIVE_SLOT_WAIT : SLOT_WAIT;
        try {
            if (!slots.acquire(work, wait)) {
                throw new SshFailure(SshFailure.Kind.FAILED, "No free SSH slot for " + target + " within "
                        + wait.toSeconds() + " s: " + slots.capacity(work) + " " + work.name().toLowerCase(java.util.Locale.ROOT)
                        + " sessions are open (testum.ssh.max-concurrency, reserved-for-deployments, interactive-concurrency)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SshFailure(SshFailure.Kind.FAILED, "Interrupted while waiting for an SSH slot", e);
        }
    }

    private static long remaining(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private SshFailure classify(SshTarget target, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException
                    || t instanceof java.net.SocketTimeoutException || t instanceof java.util.concurrent.TimeoutException) {
                return new SshFailure(SshFailure.Kind.UNREACHABLE, target.address() + " is unreachable: " + message(t), e);
            }
            if (t instanceof GeneralSecurityException) {
                return new SshFailure(SshFailure.Kind.FAILED, "The credential for " + target + " is unusable: " + message(t), e);
            }
        }
        String text = message(e);
        if (text.contains("timeout") || text.contains("timed out") || text.contains("Connection refused")
                || text.contains("Connection reset") || text.contains("closed")) {
            return new SshFailure(SshFailure.Kind.UNREACHABLE, target.address() + " is unreachable: " + text, e);
        }
        return new SshFailure(SshFailure.Kind.FAILED, "SSH to " + target + " failed: " + text, e);
    }

    static String message(Throwable e) {
        String text = e.getMessage();
        return text == null || text.isBlank() ? e.getClass().getSimpleName() : text;
    }

    private static void closeQuietly(ClientSession session) {
        if (session != null) {
            try {
                session.close(true);
            } catch (RuntimeException ignored) {
                // already broken
            }
        }
    }
}

package io.testum.ssh;

import java.time.Duration;
import java.util.Objects;

import org.apache.sshd.client.session.ClientSession;

import io.testum.common.BoundedCache;
import io.testum.common.Sha256;

/**
 * Idle, authenticated connections kept for their owner's next deployment ({@code testum.ssh.keep-alive}):
 * at most one per owner, at most {@code max-idle} in all (the least recently kept go first), each
 * closed after {@code idle-timeout}. A kept connection is handed out once, only for a login equal in
 * every part to the one that opened it, and only while it is open; anything else closes it. Idle
 * connections hold no slot. Local to this replica.
 */
final class KeptConnections implements AutoCloseable {

    /**
     * Everything that identifies a login: a kept connection serves only an equal one. The secret
     * is there as its digest, so a rotated key or password never reaches an old connection.
     */
    record Identity(String owner, String host, int port, String username, String credential, String secretDigest,
            String hostKey) {

        static Identity of(SshTarget target, KeepFor keep, String hostKey) {
            return new Identity(keep.owner(), target.host(), target.port(), target.username(), keep.credential(),
                    digest(target.auth()), hostKey);
        }

        private static String digest(SshAuth auth) {
            return switch (auth) {
                case SshAuth.Key key -> "key:" + Sha256.hex(key.openSshPrivateKey());
                case SshAuth.Password password -> "password:" + Sha256.hex(password.password());
                case null -> "none";
            };
        }
    }

    /** A connection put aside: its MINA session and what it verified. */
    record Parked(Identity identity, ClientSession session, SshTarget target, String hostKeyFingerprint, String loginKey,
            KeepFor keep, long loggedInAt) {

        void close() {
            try {
                session.close(false);
            } catch (RuntimeException e) {
                session.close(true);
            }
        }
    }

    private volatile boolean enabled;
    private final Duration idleTimeout;
    private final BoundedCache<String, Parked> idle;

    KeptConnections(boolean enabled, int maxIdle, Duration idleTimeout) {
        this.enabled = enabled && maxIdle > 0;
        this.idleTimeout = idleTimeout;
        this.idle = BoundedCache.dropping(Math.max(1, maxIdle), idleTimeout, (owner, parked) -> parked.close());
    }

    boolean enabled() {
        return enabled;
    }

    /**
     * Whether a connection that logged in at {@code loggedInAt} ({@link System#nanoTime()}) may be
     * kept (again): for at most {@code idle-timeout} after its login, so that no connection lives
     * longer than twice that, and a credential's or host's change is always met by a new login soon.
     */
    boolean young(long loggedInAt) {
        return System.nanoTime() - loggedInAt < idleTimeout.toNanos();
    }

    /** Turns keeping on or off while running (tests and benchmarks compare the two); off closes what is kept. */
    void enabled(boolean on) {
        enabled = on;
        if (!on) {
            close();
        }
    }

    /** Keeps {@code parked} for its owner, closing the one kept before; closes it at once when keeping is off. */
    void keep(Parked parked) {
        if (!enabled) {
            parked.close();
            return;
        }
        Parked before = idle.replace(parked.identity().owner(), parked);
        if (before != null && before != parked) {
            before.close();
        }
    }

    /**
     * Takes out the connection kept for {@code wanted}'s owner if it was opened for a login equal
     * to {@code wanted} and is still open; else closes it and answers null.
     */
    Parked take(Identity wanted) {
        if (!enabled) {
            return null;
        }
        Parked parked = idle.remove(wanted.owner());
        if (parked == null) {
            return null;
        }
        if (wanted.hostKey() != null && parked.identity().equals(wanted) && parked.session().isOpen()
                && Objects.equals(parked.hostKeyFingerprint(), wanted.hostKey())) {
            return parked;
        }
        parked.close();
        return null;
    }

    /** Closes the connections kept to {@code host}:{@code port} (its host key was forgotten). */
    void forget(String host, int port) {
        idle.removeIf(p -> p.target().host().equals(host) && p.target().port() == port).forEach(Parked::close);
    }

    /** Idle connections kept now. */
    long size() {
        return idle.size();
    }

    @Override
    public void close() {
        idle.removeIf(p -> true).forEach(Parked::close);
    }
}

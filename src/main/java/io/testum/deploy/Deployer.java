package io.testum.deploy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.testum.common.Timestamps;
import io.testum.keys.CredentialSecrets;
import io.testum.ssh.FileLocation;
import io.testum.ssh.RemoteFile;
import io.testum.ssh.RemoteFiles;
import io.testum.ssh.SshAuth;
import io.testum.ssh.SshConfig;
import io.testum.ssh.SshConnection;
import io.testum.ssh.SshConnector;
import io.testum.ssh.SshFailure;
import io.testum.ssh.SshWork;

/**
 * Writes managed blocks to one platform over one connection, blocking; the caller runs it on a
 * worker thread. For each pair: read the file (one command), merge the block, and unless that
 * changes nothing, replace it (one command: a temporary file beside it, renamed over it only if
 * nobody changed the file since the read; else start over). Another account's file is read and
 * written as that account. When testum manages the account it logs in as, a block that would
 * drop testum's key or put options on it is refused, and after the write testum proves that it
 * can still log in and read the file over a fresh connection; if it cannot, it puts the old file
 * back (over a new connection if the first one is lost) and says so. That fresh connection stays
 * open, idle, for the platform's next deployment to write over ({@code testum.ssh.keep-alive}), so
 * a deployment costs one new login, the proof, not two.
 */
@ApplicationScoped
public class Deployer {

    private static final Logger LOG = Logger.getLogger(Deployer.class);
    static final int MAX_ATTEMPTS = 5;

    private final SshConnector connector;
    private final PlatformConnector platforms;
    private final DeploymentHooks hooks;
    private final FileTransport transport;
    private final SeenFiles seen;

    public Deployer(SshConnector connector, PlatformConnector platforms, DeploymentHooks hooks, FileTransport transport,
            SeenFiles seen) {
        this.seen = seen;
        this.connector = connector;
        this.platforms = platforms;
        this.hooks = hooks;
        this.transport = transport;
    }

    /** The platform to deploy to, and what its source says about keys outside the block. */
    public record Access(DesiredState.PlatformRow platform, UnmanagedMode unmanaged) {
    }

    /** What to do with each pair once connected. */
    enum Mode {
        /** Write where the file differs from the desired block. */
        DEPLOY,
        /** Read back; report a difference (and with {@code repair}, write). */
        DRIFT_REPORT,
        DRIFT_REPAIR
    }

    public List<DeploymentRepository.Outcome> deploy(Access access, List<DeploymentRecord> records) {
        return run(access, records, Mode.DEPLOY);
    }

    public List<DeploymentRepository.Outcome> checkDrift(Access access, List<DeploymentRecord> records,
            boolean repair) {
        return run(access, records, repair ? Mode.DRIFT_REPAIR : Mode.DRIFT_REPORT);
    }

    /** Opens a connection as deployments do, in the deployments' share of SSH slots (see {@link PlatformConnector}). */
    public SshConnection connect(Access access) {
        return platforms.open(access.platform(), SshWork.DEPLOYMENT);
    }

    /**
     * Deploys the records over one connection: the one the platform's last deployment kept open
     * when there is one for the same login, else a new login. A command that fails on a kept
     * connection drops it, and that record starts over on a new login. What is kept for the next
     * deployment is the last fresh login that proved testum can still get in, else this run's
     * connection if it was logged in for this run.
     */
    private List<DeploymentRepository.Outcome> run(Access access, List<DeploymentRecord> records,
            Mode mode) {
        List<DeploymentRepository.Outcome> outcomes = new ArrayList<>();
        SshConnection connection;
        try {
            connection = platforms.openKept(access.platform(), SshWork.DEPLOYMENT);
        } catch (SshFailure e) {
            DeploymentStatus status = status(e);
            records.forEach(r -> outcomes.add(new DeploymentRepository.Outcome(r.pair(), status, null, e.getMessage(), null)));
            return outcomes;
        }
        Proofs proofs = new Proofs();
        boolean done = false;
        try {
            for (DeploymentRecord record : records) {
                try {
                    if (!connection.isOpen() && connection.reused()) {
                        connection = fresh(access, connection);
                    }
                    if (!connection.isOpen()) {
                        outcomes.add(new DeploymentRepository.Outcome(record.pair(), DeploymentStatus.UNREACHABLE, null,
                                "the connection to " + access.platform().name() + " was lost", null));
                        continue;
                    }
                    try {
                        outcomes.add(one(access, connection, record, mode, proofs, false));
                    } catch (KeptConnectionFailed e) {
                        LOG.debugf("The connection kept open to %s failed (%s); logging in anew", access.platform().name(),
                                e.getMessage());
                        connection = fresh(access, connection);
                        outcomes.add(one(access, connection, record, mode, proofs, true));
                    }
                } catch (SshFailure loginFailed) {
                    // logging in anew failed (a changed host key, a host that is down): so it goes for the rest too
                    DeploymentStatus status = status(loginFailed);
                    records.subList(outcomes.size(), records.size()).forEach(r -> outcomes.add(
                            new DeploymentRepository.Outcome(r.pair(), status, null, loginFailed.getMessage(), null)));
                    break;
                }
            }
            done = true;
        } finally {
            if (!done) {
                connection.close();
                if (proofs.last != null) {
                    proofs.last.close();
                }
            } else if (proofs.last != null) {
                connection.close();
                platforms.keep(proofs.last);
            } else {
                platforms.keep(connection);
            }
        }
        return outcomes;
    }

    /** Closes {@code stale} and logs in anew (for a kept connection that failed). */
    private SshConnection fresh(Access access, SshConnection stale) {
        stale.close();
        return platforms.openKept(access.platform(), SshWork.DEPLOYMENT);
    }

    /** The fresh logins that proved a write; the last one is kept for the next deployment. */
    private static final class Proofs {
        private SshConnection last;

        void add(SshConnection proof) {
            if (last != null) {
                last.close();
            }
            last = proof;
        }
    }

    /** A command failed on a connection kept from an earlier deployment: the record starts over on a new login. */
    private static final class KeptConnectionFailed extends RuntimeException {
        KeptConnectionFailed(SshFailure cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private DeploymentRepository.Outcome one(Access access, SshConnection connection,
            DeploymentRecord record, Mode mode, Proofs proofs, boolean retried) {
        FileLocation location;
        try {
            location = location(access.platform(), record);
        } catch (SshFailure e) {
            return new DeploymentRepository.Outcome(record.pair(), status(e), null, e.getMessage(), null);
        }
        try {
            RemoteFiles files = transport.files(connection);
            if (mode != Mode.DEPLOY) {
                RemoteFile file = files.read(location);
                seen.saw(SeenFiles.key(access.platform(), location), file);
                Instant readAt = Timestamps.now();
                UnmanagedKeys.Scan scan = record.exclusive() ? scanOrNull(file.content()) : UnmanagedKeys.scan(file.content());
                Optional<String> found = block(file, record);
                Map<String, Object> drift = drift(found, record);
                boolean removes = !Arrays.equals(withoutUnmanaged(access, connection, record, file.content()), file.content());
                if (drift == null && (!removes || mode == Mode.DRIFT_REPORT)) {
                    return new DeploymentRepository.Outcome(record.pair(), DeploymentStatus.IN_SYNC, record.desiredHash(), null, null, scan)
                            .with(new DeploymentRepository.Observation(readAt, false, null));
                }
                if (drift == null) {
                    LOG.infof("Removing the keys outside the managed block of %s on %s (settings.unmanaged: remove)",
                            record.account(), record.platform());
                    return write(access, connection, files, location, record, proofs, retried);
                }
                DeploymentRepository.Drift seen = new DeploymentRepository.Drift(readAt, found.orElse(null));
                if (mode == Mode.DRIFT_REPORT) {
                    return new DeploymentRepository.Outcome(record.pair(), DeploymentStatus.DRIFTED, null,
                            "the managed block on the host differs from what testum deployed", drift, scan)
                            .with(new DeploymentRepository.Observation(null, false, seen));
                }
                LOG.infof("Repairing drift of %s on %s: %d line(s) added there, %d removed", record.account(),
                        record.platform(), ((List<?>) drift.get("added")).size(), ((List<?>) drift.get("removed")).size());
                DeploymentRepository.Outcome repaired = write(access, connection, files, location, record, proofs, retried);
                Map<String, Object> repairedDrift = new LinkedHashMap<>(drift);
                repairedDrift.put("repaired", repaired.status() == DeploymentStatus.IN_SYNC);
                DeploymentRepository.Observation written = repaired.observation();
                return new DeploymentRepository.Outcome(record.pair(), repaired.status(), repaired.deployedHash(),
                        repaired.error(), repairedDrift, repaired.unmanaged(), new DeploymentRepository.Observation(
                                written == null ? null : written.at(), written != null && written.wrote(), seen));
            }
            return write(access, connection, files, location, record, proofs, retried);
        } catch (ManagedBlock.MalformedFileException e) {
            return new DeploymentRepository.Outcome(record.pair(), DeploymentStatus.FAILED, null, record.path() + ": " + e.getMessage(), null);
        } catch (SshFailure e) {
            if (connection.reused() && e.kind() != SshFailure.Kind.REFUSED) {
                throw new KeptConnectionFailed(e);
            }
            return new DeploymentRepository.Outcome(record.pair(), status(e), null, e.getMessage(), null);
        }
    }

    /**
     * The file of the record's account. testum works on the login account's own file as itself,
     * and on another account's only when logged in as root, and then as that account.
     */
    private static FileLocation location(DesiredState.PlatformRow platform, DeploymentRecord record) {
        boolean own = record.account().equals(platform.username());
        if (!own && !"root".equals(platform.username())) {
            throw new SshFailure(SshFailure.Kind.FAILED, "testum logs in to " + platform.name() + " as '"
                    + platform.username() + "'; managing the keys of '" + record.account() + "' needs a login as root");
        }
        return new FileLocation(record.path(), record.account(), !own);
    }

    /**
     * {@code retried}: the first try, on a kept connection, failed midway; it may have written the
     * file before it failed, so a file that already holds the block is proved all the same.
     */
    private DeploymentRepository.Outcome write(Access access, SshConnection connection, RemoteFiles files,
            FileLocation location, DeploymentRecord record, Proofs proofs, boolean retried) {
        DesiredState.PlatformRow platform = access.platform();
        boolean proves = proves(platform, record, connection);
        if (proves) {
            Optional<String> refusal = OwnKey.refusal(record.desiredContent(), connection.loginKey().orElseThrow());
            if (refusal.isPresent()) {
                return failed(record, refusal.get() + "; nothing was written to " + location.path());
            }
        }
        SeenFiles.Key seenKey = SeenFiles.key(platform, location);
        // What the file held when last seen: the first try writes from it without reading (see SeenFiles)
        RemoteFile guess = seen.take(seenKey);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            boolean guessed = guess != null;
            RemoteFile current = guessed ? guess : files.read(location);
            guess = null;
            byte[] merged = withoutUnmanaged(access, connection, record,
                    ManagedBlock.merge(current.content(), record.desiredContent(), record.exclusive()));
            if (guessed && current.exists() && Arrays.equals(merged, current.content())) {
                attempt--;   // a file last seen in sync is not known to be in sync now: read it
                continue;
            }
            if (current.exists() && Arrays.equals(merged, current.content())) {
                Optional<String> lockedOut = proves && retried ? prove(connection, location, proofs) : Optional.empty();
                if (lockedOut.isPresent()) {
                    return failed(record, location.path() + " holds the new block, but testum could no longer log in and "
                            + "read it (" + lockedOut.get() + "); check the host");
                }
                seen.saw(seenKey, current);
                return new DeploymentRepository.Outcome(record.pair(), DeploymentStatus.IN_SYNC, record.desiredHash(), null, null,
                        UnmanagedKeys.scan(merged)).with(new DeploymentRepository.Observation(Timestamps.now(), false, null));
            }
            RemoteFiles.Outcome outcome = files.replace(location, current, merged,
                    () -> hooks.beforeRename(platform.name(), record.account(), location.path()));
            if (outcome == RemoteFiles.Outcome.CHANGED) {
                if (guessed) {
                    LOG.debugf("%s on %s is no longer as testum last saw it; reading it", location.path(), platform.name());
                    attempt--;
                } else {
                    LOG.infof("%s on %s changed while testum wrote it; reading it again (attempt %d)", location.path(),
                            platform.name(), attempt);
                }
                continue;
            }
            hooks.afterWrite(platform.name(), record.account(), location.path());
            if (proves) {
                Optional<String> lockedOut = prove(connection, location, proofs);
                if (lockedOut.isPresent()) {
                    hooks.beforeRestore(platform.name(), record.account(), location.path());
                    String restored = restore(connection, location, new RemoteFile(location.path(), true, merged), current);
                    return failed(record, "after writing " + location.path() + ", testum could no longer log in and read it ("
                            + lockedOut.get() + "); " + restored);
                }
            }
            seen.saw(seenKey, new RemoteFile(location.path(), true, merged));
            return new DeploymentRepository.Outcome(record.pair(), DeploymentStatus.IN_SYNC, record.desiredHash(), null, null,
                    UnmanagedKeys.scan(merged)).with(new DeploymentRepository.Observation(Timestamps.now(), true, null));
        }
        return failed(record, location.path() + " on " + platform.name() + " kept changing while testum wrote it ("
                + MAX_ATTEMPTS + " attempts); nothing was replaced");
    }

    /**
     * {@code file} as {@code settings.unmanaged: remove} wants it: without the lines outside the
     * block that could let someone in, but with every line that carries the key testum logged in
     * with. Unchanged in any other mode.
     */
    private static byte[] withoutUnmanaged(Access access, SshConnection connection,
            DeploymentRecord record, byte[] file) {
        if (access.unmanaged() != UnmanagedMode.REMOVE || record.exclusive()) {
            return file;
        }
        java.util.Set<String> keep = connection.loginKey().flatMap(UnmanagedKeys::fingerprint)
                .map(java.util.Set::of).orElse(java.util.Set.of());
        return UnmanagedKeys.withoutUnmanaged(file, keep);
    }

    /** What an exclusive file holds outside the block, or null when its markers do not pair up (that is drift). */
    private static UnmanagedKeys.Scan scanOrNull(byte[] file) {
        try {
            return UnmanagedKeys.scan(file);
        } catch (ManagedBlock.MalformedFileException e) {
            return null;
        }
    }

    private static DeploymentRepository.Outcome failed(DeploymentRecord record, String error) {
        return new DeploymentRepository.Outcome(record.pair(), DeploymentStatus.FAILED, null, error, null);
    }

    /** A write to the account testum logs in as with a key must not lock testum out: it is proved afterwards. */
    private static boolean proves(DesiredState.PlatformRow platform, DeploymentRecord record,
            SshConnection connection) {
        return record.account().equals(platform.username()) && connection.loginKey().isPresent();
    }

    /**
     * The proof that testum is not locked out: a fresh connection logs in with the same key and
     * reads the file the way deployments do, so a forced command or a refused key fails it. A
     * proof that passed goes to {@code proofs}: the next deployment may write over it.
     */
    private Optional<String> prove(SshConnection connection, FileLocation location, Proofs proofs) {
        SshConnection fresh;
        try {
            fresh = connector.reconnect(connection);
        } catch (SshFailure e) {
            return Optional.of(e.getMessage());
        }
        try {
            if (!transport.files(fresh).read(location).exists()) {
                fresh.close();
                return Optional.of(location.path() + " is gone");
            }
            proofs.add(fresh);
            return Optional.empty();
        } catch (SshFailure e) {
            fresh.close();
            return Optional.of(e.getMessage());
        } catch (RuntimeException e) {
            fresh.close();
            throw e;
        }
    }

    /**
     * Puts {@code previous} back where testum wrote {@code written}, unless the file changed
     * again meanwhile: over the same connection, or over a new one when that one is lost.
     *
     * @return what happened, for the deployment's error
     */
    private String restore(SshConnection connection, FileLocation location, RemoteFile written, RemoteFile previous) {
        if (connection.isOpen()) {
            try {
                return restore(transport.files(connection), location, written, previous, "");
            } catch (SshFailure e) {
                boolean lost = !connection.isOpen() || e.kind() == SshFailure.Kind.UNREACHABLE
                        || e.kind() == SshFailure.Kind.TIMEOUT;
                if (!lost) {
                    return "putting the previous file back failed too (" + e.getMessage() + "); restore it by hand";
                }
            }
        }
        try (SshConnection fresh = connector.reconnect(connection)) {
            return restore(transport.files(fresh), location, written, previous,
                    " over a new connection (the first one was lost)");
        } catch (SshFailure e) {
            return "the connection was lost and putting the previous file back over a new one failed too ("
                    + e.getMessage() + "); restore it by hand";
        }
    }

    private static String restore(RemoteFiles files, FileLocation location, RemoteFile written, RemoteFile previous,
            String how) {
        RemoteFiles.Outcome outcome = previous.exists()
                ? files.replace(location, written, previous.content(), () -> { })
                : files.remove(location, written);
        return outcome == RemoteFiles.Outcome.REPLACED
                ? "the previous file is restored" + how
                : "the file changed again meanwhile, so testum left it as it is; check it by hand";
    }

    /** The block as it stands on the host (an exclusive file is all block), if the file has one. */
    private static Optional<String> block(RemoteFile file, DeploymentRecord record) {
        return record.exclusive()
                ? Optional.of(new String(file.content(), StandardCharsets.UTF_8))
                : ManagedBlock.extract(file.content());
    }

    /** The drifted lines, or null when the block on the host is what testum deployed. */
    private static Map<String, Object> drift(Optional<String> found, DeploymentRecord record) {
        String expected = record.desiredContent();
        if (found.isPresent() && found.get().equals(expected)) {
            return null;
        }
        List<String> actual = found.map(ManagedBlock::lines).orElse(List.of());
        List<String> wanted = ManagedBlock.lines(expected);
        Map<String, Object> drift = new LinkedHashMap<>();
        drift.put("added", actual.stream().filter(l -> !wanted.contains(l)).toList());
        drift.put("removed", wanted.stream().filter(l -> !actual.contains(l)).toList());
        if (found.isEmpty()) {
            drift.put("block_missing", true);
        }
        return drift;
    }

    static DeploymentStatus status(SshFailure e) {
        return switch (e.kind()) {
            case UNREACHABLE, TIMEOUT -> DeploymentStatus.UNREACHABLE;
            case HOST_KEY_MISMATCH -> DeploymentStatus.HOST_KEY_MISMATCH;
            default -> DeploymentStatus.FAILED;
        };
    }
}

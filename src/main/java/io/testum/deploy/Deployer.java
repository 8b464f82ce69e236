package io.testum.deploy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.testum.ssh.ExecResult;
import io.testum.ssh.RemoteFile;
import io.testum.ssh.SshConnection;
import io.testum.ssh.SshConnector;
import io.testum.ssh.SshFailure;
import io.testum.ssh.SshWork;

/**
 * Writes managed blocks to one platform over one connection, blocking; the caller runs it on a
 * worker thread. For each pair: read the file, merge the block, and unless that changes nothing,
 * write a temporary file beside it and rename it over the file, after checking that nobody
 * changed the file meanwhile (else start over). When testum manages its own login account, it
 * then logs in again on a fresh connection, and puts the old file back if it cannot.
 */
@ApplicationScoped
public class Deployer {

    private static final Logger LOG = Logger.getLogger(Deployer.class);
    static final int FILE_MODE = 0600;
    static final int DIRECTORY_MODE = 0700;
    static final int MAX_ATTEMPTS = 5;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final SshConnector connector;
    private final PlatformLogin login;
    private final DeploymentHooks hooks;

    public Deployer(SshConnector connector, PlatformLogin login, DeploymentHooks hooks) {
        this.connector = connector;
        this.login = login;
        this.hooks = hooks;
    }

    /** The platform and the way in. */
    public record Access(DesiredState.PlatformRow platform, DeploymentRepository.CredentialRow credential) {
    }

    /** What to do with each pair once connected. */
    enum Mode {
        /** Write where the file differs from the desired block. */
        DEPLOY,
        /** Read back; report a difference (and with {@code repair}, write). */
        DRIFT_REPORT,
        DRIFT_REPAIR
    }

    public List<DeploymentRepository.Outcome> deploy(Access access, List<DeploymentRepository.DeploymentRecord> records) {
        return run(access, records, Mode.DEPLOY);
    }

    public List<DeploymentRepository.Outcome> checkDrift(Access access, List<DeploymentRepository.DeploymentRecord> records,
            boolean repair) {
        return run(access, records, repair ? Mode.DRIFT_REPAIR : Mode.DRIFT_REPORT);
    }

    /** Opens a connection as deployments do, in the deployments' share of SSH slots (see {@link PlatformLogin}). */
    public SshConnection connect(Access access) {
        return login.open(access, SshWork.DEPLOYMENT);
    }

    private List<DeploymentRepository.Outcome> run(Access access, List<DeploymentRepository.DeploymentRecord> records,
            Mode mode) {
        List<DeploymentRepository.Outcome> outcomes = new ArrayList<>();
        SshConnection connection;
        try {
            connection = connect(access);
        } catch (SshFailure e) {
            String status = status(e);
            records.forEach(r -> outcomes.add(new DeploymentRepository.Outcome(r.pair(), status, null, e.getMessage(), null)));
            return outcomes;
        }
        try (connection) {
            for (DeploymentRepository.DeploymentRecord record : records) {
                if (!connection.isOpen()) {
                    outcomes.add(new DeploymentRepository.Outcome(record.pair(), "unreachable", null,
                            "the connection to " + access.platform().name() + " was lost", null));
                    continue;
                }
                outcomes.add(one(access, connection, record, mode));
            }
        }
        return outcomes;
    }

    private DeploymentRepository.Outcome one(Access access, SshConnection connection,
            DeploymentRepository.DeploymentRecord record, Mode mode) {
        try {
            Target target = resolve(access.platform(), connection, record);
            if (mode != Mode.DEPLOY) {
                Map<String, Object> drift = drift(connection, target, record);
                if (drift == null) {
                    return new DeploymentRepository.Outcome(record.pair(), "in_sync", record.desiredHash(), null, null);
                }
                if (mode == Mode.DRIFT_REPORT) {
                    return new DeploymentRepository.Outcome(record.pair(), "drifted", null,
                            "the managed block on the host differs from what testum deployed", drift);
                }
                LOG.infof("Repairing drift of %s on %s: %s", record.account(), record.platform(), drift);
                DeploymentRepository.Outcome repaired = write(access, connection, target, record);
                Map<String, Object> repairedDrift = new LinkedHashMap<>(drift);
                repairedDrift.put("repaired", "in_sync".equals(repaired.status()));
                return new DeploymentRepository.Outcome(record.pair(), repaired.status(), repaired.deployedHash(),
                        repaired.error(), repairedDrift);
            }
            return write(access, connection, target, record);
        } catch (ManagedBlock.MalformedFileException e) {
            return new DeploymentRepository.Outcome(record.pair(), "failed", null, record.path() + ": " + e.getMessage(), null);
        } catch (SshFailure e) {
            return new DeploymentRepository.Outcome(record.pair(), status(e), null, e.getMessage(), null);
        }
    }

    /** Where the file is and, for another account than the login one, who must own it. */
    private record Target(String path, String directory, String owner) {
    }

    private Target resolve(DesiredState.PlatformRow platform, SshConnection connection,
            DeploymentRepository.DeploymentRecord record) {
        String configured = record.path();
        if (record.account().equals(platform.username())) {
            String path = configured.startsWith("~/") ? configured.substring(2) : configured;
            return new Target(path, parent(path), null);
        }
        if (!"root".equals(platform.username())) {
            throw new SshFailure(SshFailure.Kind.FAILED, "testum logs in to " + platform.name() + " as '"
                    + platform.username() + "'; managing the keys of '" + record.account() + "' needs a login as root");
        }
        ExecResult home = connection.exec("getent passwd " + record.account() + " | cut -d: -f6", null, COMMAND_TIMEOUT, 4096);
        String dir = home.stdoutText().strip();
        if (!home.succeeded() || dir.isEmpty() || !dir.startsWith("/")) {
            throw new SshFailure(SshFailure.Kind.FAILED, "account '" + record.account() + "' does not exist on " + platform.name());
        }
        String path = configured.startsWith("~/") ? dir + "/" + configured.substring(2) : configured;
        return new Target(path, parent(path), record.account());
    }

    private DeploymentRepository.Outcome write(Access access, SshConnection connection, Target target,
            DeploymentRepository.DeploymentRecord record) {
        DesiredState.PlatformRow platform = access.platform();
        byte[] block = record.desiredContent().getBytes(StandardCharsets.UTF_8);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            RemoteFile current = connection.read(target.path());
            byte[] merged = ManagedBlock.merge(current.content(), record.desiredContent(), record.exclusive());
            if (connection.ensureDirectory(target.directory(), DIRECTORY_MODE) && target.owner() != null) {
                chown(connection, target.owner(), target.directory());
            }
            connection.removeLeftovers(target.path());
            if (current.exists() && Arrays.equals(merged, current.content())) {
                return new DeploymentRepository.Outcome(record.pair(), "in_sync", record.desiredHash(), null, null);
            }
            try {
                connection.writeAtomically(target.path(), merged, FILE_MODE, temp -> {
                    if (target.owner() != null) {
                        chown(connection, target.owner(), temp);
                    }
                    hooks.beforeRename(platform.name(), record.account(), target.path());
                    if (!connection.read(target.path()).sameAs(current)) {
                        throw new ConcurrentEdit();
                    }
                });
            } catch (ConcurrentEdit e) {
                LOG.infof("%s on %s changed while testum wrote it; reading it again (attempt %d)", target.path(),
                        platform.name(), attempt);
                continue;
            }
            hooks.afterWrite(platform.name(), record.account(), target.path());
            Optional<String> lockedOut = verifyLogin(platform, connection, record);
            if (lockedOut.isPresent()) {
                restore(connection, target, current);
                return new DeploymentRepository.Outcome(record.pair(), "failed", null, "after writing " + target.path()
                        + ", testum could no longer log in (" + lockedOut.get() + "); the previous file is restored", null);
            }
            return new DeploymentRepository.Outcome(record.pair(), "in_sync", record.desiredHash(), null, null);
        }
        return new DeploymentRepository.Outcome(record.pair(), "failed", null, target.path() + " on " + platform.name()
                + " kept changing while testum wrote it (" + MAX_ATTEMPTS + " attempts); nothing was replaced", null);
    }

    /** When testum manages the account it logs in as, a fresh login must still work. */
    private Optional<String> verifyLogin(DesiredState.PlatformRow platform, SshConnection connection,
            DeploymentRepository.DeploymentRecord record) {
        if (!record.account().equals(platform.username()) || !"key".equals(platform.authMethod())) {
            return Optional.empty();
        }
        try {
            connector.verifyFreshLogin(connection);
            return Optional.empty();
        } catch (SshFailure e) {
            return Optional.of(e.getMessage());
        }
    }

    private void restore(SshConnection connection, Target target, RemoteFile previous) {
        if (previous.exists()) {
            connection.writeAtomically(target.path(), previous.content(), previous.mode() == 0 ? FILE_MODE : previous.mode(),
                    temp -> {
                        if (target.owner() != null) {
                            chown(connection, target.owner(), temp);
                        }
                    });
        } else {
            connection.remove(target.path());
        }
    }

    /** The drifted lines, or null when the block on the host is what testum deployed. */
    private static Map<String, Object> drift(SshConnection connection, Target target,
            DeploymentRepository.DeploymentRecord record) {
        RemoteFile file = connection.read(target.path());
        Optional<String> found = record.exclusive()
                ? Optional.of(new String(file.content(), StandardCharsets.UTF_8))
                : ManagedBlock.extract(file.content());
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

    private static void chown(SshConnection connection, String owner, String path) {
        ExecResult result = connection.exec("chown " + owner + ": '" + path.replace("'", "'\\''") + "'", null,
                COMMAND_TIMEOUT, 4096);
        if (!result.succeeded()) {
            throw new SshFailure(SshFailure.Kind.FAILED, "chown " + owner + " " + path + " failed: " + result.stderrText().strip());
        }
    }

    static String status(SshFailure e) {
        return switch (e.kind()) {
            case UNREACHABLE, TIMEOUT -> "unreachable";
            case HOST_KEY_MISMATCH -> "host_key_mismatch";
            default -> "failed";
        };
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "." : slash == 0 ? "/" : path.substring(0, slash);
    }

    /** The file changed between read and rename. */
    private static final class ConcurrentEdit extends RuntimeException {
        ConcurrentEdit() {
            super(null, null, false, false);
        }
    }
}

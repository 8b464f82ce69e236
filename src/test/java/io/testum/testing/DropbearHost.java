package io.testum.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionTimeoutException;

/**
 * One dropbear SSH server on 127.0.0.1, for what OpenSSH does not show: dropbear starts commands
 * without a process group of their own and has no SFTP. Its user is {@code t15c<n>}, claimed
 * with a lock file beside {@link SshFleet}'s, so test JVMs of several checkouts can run at once.
 */
public final class DropbearHost implements AutoCloseable {

    static final String DROPBEAR = "/usr/sbin/dropbear";

    private final int index;
    private final FileChannel lock;
    private final String user;
    private final Path dir;
    private final Path home;
    private final int port;
    private Process dropbear;

    private DropbearHost(int index, FileChannel lock) {
        this.index = index;
        this.lock = lock;
        this.user = "t15c" + index;
        this.dir = SshFleet.ROOT.resolve("dropbear-" + index);
        this.home = SshFleet.ROOT.resolve("homes").resolve(user);
        this.port = SshFleet.freePort();
    }

    /** Starts a dropbear that lets {@code authorizedKey} log in as its user. */
    public static synchronized DropbearHost start(String authorizedKey) {
        if (!Files.isExecutable(Path.of(DROPBEAR))) {
            throw new IllegalStateException(DROPBEAR + " is missing: install Debian's dropbear-bin");
        }
        try {
            Path locks = SshFleet.ROOT.resolve("locks");
            Files.createDirectories(locks);
            for (int index = 1; ; index++) {
                FileChannel channel = FileChannel.open(locks.resolve("t15c-" + index + ".lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                FileLock held;
                try {
                    held = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    held = null;
                }
                if (held == null) {
                    channel.close();
                    continue;
                }
                DropbearHost host = new DropbearHost(index, channel);
                host.prepare(authorizedKey);
                host.launch();
                return host;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String address() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    private void prepare(String authorizedKey) throws IOException {
        synchronized (SshFleet.class) {
            if (SshFleet.run(List.of("id", user)).isEmpty()) {
                SshFleet.root("useradd", "-M", "-U", "-d", home.toString(), "-s", "/bin/sh", user);
            } else {
                SshFleet.root("usermod", "-d", home.toString(), user);
            }
            SshFleet.root("usermod", "-p", "*", user);
        }
        SshFleet.deleteTree(dir);
        Files.createDirectories(dir);
        SshFleet.deleteTree(home);
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/authorized_keys"), authorizedKey + "\n");
        SshFleet.root("chown", "-R", user + ":" + user, home.toString());
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(home.resolve(".ssh"), PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(home.resolve(".ssh/authorized_keys"), PosixFilePermissions.fromString("rw-------"));
        KeyGen.run(List.of("dropbearkey", "-t", "ed25519", "-f", dir.resolve("host_key").toString()));
    }

    private void launch() throws IOException {
        dropbear = new ProcessBuilder(DROPBEAR, "-F", "-E", "-s", "-p", "127.0.0.1:" + port, "-r",
                dir.resolve("host_key").toString()).redirectErrorStream(true).redirectOutput(dir.resolve("dropbear.log").toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).until(() -> {
                if (!dropbear.isAlive()) {
                    throw new IllegalStateException("dropbear exited: " + log());
                }
                return Ports.listening(port);
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("dropbear did not listen on " + port + ": " + log(), e);
        }
    }

    public String log() {
        try {
            return Files.exists(dir.resolve("dropbear.log")) ? Files.readString(dir.resolve("dropbear.log")) : "";
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** Stops dropbear and its sessions, frees the user. */
    @Override
    public synchronized void close() {
        if (dropbear != null) {
            List<ProcessHandle> all = java.util.stream.Stream.concat(java.util.stream.Stream.of(dropbear.toHandle()),
                    dropbear.descendants()).toList();
            all.forEach(ProcessHandle::destroy);
            all.forEach(p -> {
                try {
                    p.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();
                }
            });
            dropbear = null;
        }
        SshFleet.deleteTree(dir);
        SshFleet.deleteTree(home);
        try {
            lock.close();
        } catch (IOException e) {
            // the lock goes with the channel
        }
    }

    @Override
    public String toString() {
        return user + "@127.0.0.1:" + port + " (dropbear " + index + ")";
    }
}

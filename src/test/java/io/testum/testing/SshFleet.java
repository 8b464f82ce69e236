package io.testum.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real OpenSSH servers for tests: one {@code /usr/sbin/sshd} process per simulated host, on
 * 127.0.0.1, each with its own host key, its own user and home, StrictModes on. A test says
 * {@code SshFleet.start(3)} and gets three hosts; {@link #close()} stops them.
 * <p>
 * It runs as root (sshd and useradd need it). Users {@code tsth<n>} are created once per machine
 * and reused; their homes are made fresh for each fleet. Test JVMs of several checkouts may run at
 * once on one machine: each host index is claimed with a lock file ({@code ROOT/locks}), and an
 * index whose sshd still runs (a fixture without locks) is passed over.
 */
public final class SshFleet implements AutoCloseable {

    static final Path ROOT = Path.of("/tmp/testum-ssh-fixture");
    static final String SSHD = "/usr/sbin/sshd";
    private static final BitSet USED = new BitSet();
    private static final Map<Integer, FileChannel> LOCKS = new HashMap<>();
    /** useradd and usermod lock /etc/passwd: one at a time. */
    private static final Object USERS = new Object();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static int nextPort = 21000 + (int) (ProcessHandle.current().pid() % 9000);

    private final List<Host> hosts;

    private SshFleet(List<Host> hosts) {
        this.hosts = hosts;
    }

    /** Starts {@code count} hosts with key logins only. */
    public static SshFleet start(int count) {
        return start(count, false);
    }

    /** Starts {@code count} hosts; with {@code passwords}, they also take password logins. */
    public static synchronized SshFleet start(int count, boolean passwords) {
        requireRoot();
        try {
            Files.createDirectories(Path.of("/run/sshd"));
            Files.createDirectories(ROOT);
            Files.setPosixFilePermissions(ROOT, PosixFilePermissions.fromString("rwxr-xr-x"));
            List<Host> hosts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                hosts.add(new Host(claim(), passwords));
            }
            hosts.parallelStream().forEach(Host::prepare);
            hosts.forEach(Host::launch);
            hosts.forEach(Host::awaitListening);
            return new SshFleet(hosts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The lowest host index free on this machine: not used by this JVM, not locked by another, and
     * without a live sshd of an earlier fixture. The lock is held until the fleet closes.
     */
    private static int claim() throws IOException {
        Path locks = ROOT.resolve("locks");
        Files.createDirectories(locks);
        for (int index = USED.nextClearBit(1); ; index = USED.nextClearBit(index + 1)) {
            FileChannel channel = FileChannel.open(locks.resolve("host-" + index + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null || sshdRunning(index)) {
                if (lock != null) {
                    lock.release();
                }
                channel.close();
                continue;
            }
            USED.set(index);
            LOCKS.put(index, channel);
            return index;
        }
    }

    private static boolean sshdRunning(int index) {
        Path pid = ROOT.resolve("host-" + index).resolve("sshd.pid");
        try {
            return Files.exists(pid) && ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()))
                    .map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private static void release(int index) {
        USED.clear(index);
        FileChannel channel = LOCKS.remove(index);
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // the lock goes with the channel
            }
        }
    }

    private static void requireRoot() {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("The sshd test fixture runs as root: it starts sshd and creates users "
                    + "(CI runs as root; locally run the tests with sudo or in a container)");
        }
        if (!Files.isExecutable(Path.of(SSHD))) {
            throw new IllegalStateException(SSHD + " is missing: install Debian's openssh-server");
        }
    }

    public List<Host> hosts() {
        return hosts;
    }

    public Host host(int i) {
        return hosts.get(i);
    }

    @Override
    public synchronized void close() {
        hosts.parallelStream().forEach(Host::stop);
        for (Host host : hosts) {
            deleteTree(host.dir);
            release(host.index);
        }
    }

    /** One simulated host. */
    public static final class Host {
        private final int index;
        private final boolean passwords;
        private final String user;
        private final Path dir;
        private final Path home;
        private final int port;
        private Process sshd;

        Host(int index, boolean passwords) {
            this.index = index;
            this.passwords = passwords;
            this.user = "tsth" + index;
            this.dir = ROOT.resolve("host-" + index);
            this.home = ROOT.resolve("homes").resolve(user);
            this.port = freePort();
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

        public Path home() {
            return home;
        }

        public Path authorizedKeys() {
            return home.resolve(".ssh/authorized_keys");
        }

        /** The host key's fingerprint, as ssh-keygen prints it. */
        public String hostKeyFingerprint() {
            return KeyGen.run(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", dir.resolve("host_key.pub").toString()))
                    .split(" ")[1];
        }

        private void prepare() {
            try {
                ensureUser();
                deleteTree(dir);
                Files.createDirectories(dir);
                deleteTree(home);
                Files.createDirectories(home);
                root("chown", user + ":" + user, home.toString());
                Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
                newHostKey();
                Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                        "Port " + port,
                        "ListenAddress 127.0.0.1",
                        "HostKey " + dir.resolve("host_key"),
                        "PidFile " + dir.resolve("sshd.pid"),
                        "AuthorizedKeysFile .ssh/authorized_keys",
                        "StrictModes yes",
                        "UsePAM no",
                        "PasswordAuthentication " + (passwords ? "yes" : "no"),
                        "KbdInteractiveAuthentication no",
                        "PermitRootLogin no",
                        "AllowUsers " + user,
                        "MaxStartups 400:30:800",
                        "MaxSessions 100",
                        "LoginGraceTime 60",
                        "LogLevel VERBOSE",
                        "Subsystem sftp internal-sftp",
                        ""));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void ensureUser() {
            synchronized (USERS) {
                if (!run(List.of("id", user)).isEmpty()) {
                    root("usermod", "-d", home.toString(), user);
                } else {
                    root("useradd", "-M", "-U", "-d", home.toString(), "-s", "/bin/sh", user);
                }
                root("usermod", "-p", "*", user);
            }
        }

        /** Replaces the host key with a new one (restart the host to serve it). */
        public void newHostKey() {
            try {
                Files.deleteIfExists(dir.resolve("host_key"));
                Files.deleteIfExists(dir.resolve("host_key.pub"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            KeyGen.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_key").toString()));
        }

        /** Lets {@code password} log in as the host's user. */
        public void setPassword(String password) {
            try {
                Process p = new ProcessBuilder("chpasswd").redirectErrorStream(true).start();
                p.getOutputStream().write((user + ":" + password + "\n").getBytes(StandardCharsets.UTF_8));
                p.getOutputStream().close();
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void launch() {
            try {
                sshd = new ProcessBuilder(SSHD, "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void awaitListening() {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!sshd.isAlive()) {
                    throw new IllegalStateException("sshd of " + user + " exited: " + log());
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return;
                } catch (IOException notYet) {
                    sleep(20);
                }
            }
            throw new IllegalStateException("sshd of " + user + " did not listen on " + port + ": " + log());
        }

        /** Starts sshd again after {@link #stop()} or {@link #kill()}, on the same port. */
        public void start() {
            launch();
            awaitListening();
        }

        /** Stops sshd and every session it serves, as a shutdown would. */
        public void stop() {
            end(false);
        }

        /** Kills sshd and every session it serves at once, as a crash would. */
        public void kill() {
            end(true);
        }

        private void end(boolean force) {
            if (sshd == null) {
                return;
            }
            List<ProcessHandle> all = Stream.concat(Stream.of(sshd.toHandle()), sshd.descendants()).toList();
            all.forEach(p -> {
                if (force) {
                    p.destroyForcibly();
                } else {
                    p.destroy();
                }
            });
            all.forEach(p -> {
                try {
                    p.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();
                }
            });
            sshd = null;
        }

        public String log() {
            try {
                return Files.exists(dir.resolve("sshd.log")) ? Files.readString(dir.resolve("sshd.log")) : "";
            } catch (IOException e) {
                return e.getMessage();
            }
        }

        /** The authorized_keys file's text, or null when there is none. */
        public String authorizedKeysText() {
            try {
                return Files.exists(authorizedKeys()) ? Files.readString(authorizedKeys(), StandardCharsets.UTF_8) : null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public byte[] authorizedKeysBytes() {
            try {
                return Files.readAllBytes(authorizedKeys());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Writes authorized_keys as the user would: ~/.ssh 0700, the file 0600, both owned by the user. */
        public void writeAuthorizedKeys(byte[] content) {
            try {
                Path ssh = home.resolve(".ssh");
                Files.createDirectories(ssh);
                Files.write(authorizedKeys(), content);
                root("chown", "-R", user + ":" + user, ssh.toString());
                Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwx------"));
                Files.setPosixFilePermissions(authorizedKeys(), PosixFilePermissions.fromString("rw-------"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public void writeAuthorizedKeys(String content) {
            writeAuthorizedKeys(content.getBytes(StandardCharsets.UTF_8));
        }

        public FileTime authorizedKeysModified() {
            try {
                return Files.getLastModifiedTime(authorizedKeys());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Files in ~/.ssh, to find leftovers. */
        public List<String> sshDirectory() {
            try (Stream<Path> files = Files.list(home.resolve(".ssh"))) {
                return files.map(p -> p.getFileName().toString()).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Whether OpenSSH's own client logs in with this private key file. */
        public boolean acceptsLogin(Path privateKey) {
            try {
                Process ssh = new ProcessBuilder("ssh", "-i", privateKey.toString(), "-o", "BatchMode=yes",
                        "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                        "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10", "-p", Integer.toString(port),
                        user + "@127.0.0.1", "true").redirectErrorStream(true).start();
                ssh.getInputStream().readAllBytes();
                return ssh.waitFor(30, TimeUnit.SECONDS) && ssh.exitValue() == 0;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** Runs a command on the host as root, e.g. to break something on purpose. */
        public void asRoot(String... command) {
            root(command);
        }

        @Override
        public String toString() {
            return user + "@127.0.0.1:" + port;
        }
    }

    static void root(String... command) {
        if (run(List.of(command)).isEmpty()) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }

    /** Runs a command; its output, or "" when it failed. */
    static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "";
            }
            return out.isEmpty() ? "ok" : out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /**
     * A free port below the kernel's ephemeral range (32768 and up on Linux), so that an outgoing
     * connection cannot take it between this check and sshd's bind.
     */
    static synchronized int freePort() {
        for (int tries = 0; tries < 10_000; tries++) {
            int candidate = nextPort;
            nextPort = nextPort >= 30999 ? 21000 : nextPort + 1;
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress("127.0.0.1", candidate));
                return candidate;
            } catch (IOException taken) {
                // try the next one
            }
        }
        throw new IllegalStateException("no free port between 21000 and 30999");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void deleteTree(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.testum.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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

import org.awaitility.core.ConditionTimeoutException;

/**
 * Real SSH servers for tests: one server process per simulated host, on 127.0.0.1, each with its
 * own host key, its own user and home, StrictModes on. A test says {@code SshFleet.start(3)} and
 * gets three OpenSSH hosts, or {@code SshFleet.of(Kind.DROPBEAR, Kind.BUSYBOX)} one host of each
 * kind; {@link #close()} stops them.
 * <p>
 * It runs as root (sshd and useradd need it). Users are created once per machine and reused;
 * their homes are made fresh for each fleet. Test JVMs of several checkouts may run at once on
 * one machine: each host index is claimed with a lock file ({@code ROOT/locks}), and an index
 * whose server still runs (a fixture without locks) is passed over. Every user of a host is named
 * after its index ({@code tsth<n>}, and {@code t14...<n>} for the kinds that need users of their
 * own), so the index's lock covers them.
 */
public final class SshFleet implements AutoCloseable {

    /** What kind of host to simulate. */
    public enum Kind {
        /** OpenSSH with its internal SFTP server; the account's login shell is /bin/sh. */
        OPENSSH,
        /** OpenSSH without any SFTP subsystem, as hardened hosts run it. */
        OPENSSH_NO_SFTP,
        /**
         * OpenSSH without SFTP, whose account has BusyBox {@code ash} as login shell and nothing but
         * BusyBox applets on its PATH, like a BusyBox device.
         */
        BUSYBOX,
        /** dropbear, key logins only; the account's login shell is /bin/sh. */
        DROPBEAR,
        /**
         * OpenSSH that lets root in with a key (kept in a fixture file, never in /root), and two
         * more accounts ({@link Host#account(int)}) whose keys root manages.
         */
        ROOT_LOGIN
    }

    static final Path ROOT = Path.of("/tmp/testum-ssh-fixture");
    /** Root's keys of ROOT_LOGIN hosts: a path whose every directory is root's and not world-writable, as StrictModes wants. */
    static final Path ROOT_KEYS = Path.of("/run/testum-ssh-fixture");
    static final String SSHD = "/usr/sbin/sshd";
    static final String DROPBEAR = "/usr/sbin/dropbear";
    static final String BUSYBOX = "/bin/busybox";
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
    public static SshFleet start(int count, boolean passwords) {
        return start(java.util.Collections.nCopies(count, Kind.OPENSSH), passwords);
    }

    /** Starts one host of each kind, in that order. */
    public static SshFleet of(Kind... kinds) {
        return start(List.of(kinds), false);
    }

    /** Starts one host of each kind, in that order; with {@code passwords}, they also take password logins. */
    public static synchronized SshFleet start(List<Kind> kinds, boolean passwords) {
        requireRoot();
        try {
            Files.createDirectories(Path.of("/run/sshd"));
            Files.createDirectories(ROOT);
            Files.setPosixFilePermissions(ROOT, PosixFilePermissions.fromString("rwxr-xr-x"));
            List<Host> hosts = new ArrayList<>();
            for (Kind kind : kinds) {
                if (kind == Kind.DROPBEAR && !Files.isExecutable(Path.of(DROPBEAR))) {
                    throw new IllegalStateException(DROPBEAR + " is missing: install Debian's dropbear-bin");
                }
                if (kind == Kind.BUSYBOX && !Files.isExecutable(Path.of(BUSYBOX))) {
                    throw new IllegalStateException(BUSYBOX + " is missing: install Debian's busybox");
                }
                hosts.add(new Host(claim(), kind, passwords));
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
        // dropbear hosts write their pid to the same file
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
            deleteTree(ROOT_KEYS.resolve("host-" + host.index));
            release(host.index);
        }
    }

    /**
     * An account on a simulated host: its home (fresh for each fleet) and its authorized_keys.
     */
    public static final class Account {
        private final String user;
        private final Path home;
        private final Path authorizedKeys;

        Account(String user, Path home, Path authorizedKeys) {
            this.user = user;
            this.home = home;
            this.authorizedKeys = authorizedKeys;
        }

        public String user() {
            return user;
        }

        public Path home() {
            return home;
        }

        public Path authorizedKeys() {
            return authorizedKeys;
        }

        /** The authorized_keys file's text, or null when there is none. */
        public String authorizedKeysText() {
            try {
                return Files.exists(authorizedKeys) ? Files.readString(authorizedKeys, StandardCharsets.UTF_8) : null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public byte[] authorizedKeysBytes() {
            try {
                return Files.readAllBytes(authorizedKeys);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Writes authorized_keys as the user would: its directory 0700, the file 0600, both owned by the user. */
        public void writeAuthorizedKeys(byte[] content) {
            try {
                Path dir = authorizedKeys.getParent();
                Files.createDirectories(dir);
                Files.write(authorizedKeys, content);
                root("chown", "-R", user + ":" + user, dir.toString());
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                Files.setPosixFilePermissions(authorizedKeys, PosixFilePermissions.fromString("rw-------"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public void writeAuthorizedKeys(String content) {
            writeAuthorizedKeys(content.getBytes(StandardCharsets.UTF_8));
        }

        /** Runs a shell command as the account, in its home, as the account itself could. */
        public void run(String command) {
            root("runuser", "-u", user, "--", "sh", "-c", "cd " + home + " && " + command);
        }
    }

    /** One simulated host. */
    public static final class Host {
        private final int index;
        private final Kind kind;
        private final boolean passwords;
        private final Account login;
        private final List<Account> accounts = new ArrayList<>();
        private final Path dir;
        private final int port;
        private List<String> extraConfig = List.of();
        private Process sshd;

        Host(int index, Kind kind, boolean passwords) {
            this.index = index;
            this.kind = kind;
            this.passwords = passwords;
            this.dir = ROOT.resolve("host-" + index);
            this.port = freePort();
            Path homes = ROOT.resolve("homes");
            switch (kind) {
                case ROOT_LOGIN -> {
                    this.login = new Account("root", Path.of("/root"), ROOT_KEYS.resolve("host-" + index).resolve("keys/root"));
                    for (String prefix : List.of("t14a", "t14b")) {
                        String user = prefix + index;
                        accounts.add(new Account(user, homes.resolve(user), homes.resolve(user).resolve(".ssh/authorized_keys")));
                    }
                }
                default -> {
                    String user = switch (kind) {
                        case BUSYBOX -> "t14bb" + index;
                        case DROPBEAR -> "t14db" + index;
                        default -> "tsth" + index;
                    };
                    this.login = new Account(user, homes.resolve(user), homes.resolve(user).resolve(".ssh/authorized_keys"));
                }
            }
        }

        public Kind kind() {
            return kind;
        }

        public String address() {
            return "127.0.0.1";
        }

        public int port() {
            return port;
        }

        /** The account testum logs in as. */
        public String user() {
            return login.user();
        }

        /** The login account. */
        public Account login() {
            return login;
        }

        /** The other accounts of a ROOT_LOGIN host (0 and 1), whose files root manages. */
        public Account account(int i) {
            return accounts.get(i);
        }

        public Path home() {
            return login.home();
        }

        public Path authorizedKeys() {
            return login.authorizedKeys();
        }

        /** A directory of this host's own that the tests may use (removed when the fleet closes). */
        public Path dir() {
            return dir;
        }

        /** The host key's fingerprint, as ssh-keygen prints it. */
        public String hostKeyFingerprint() {
            return KeyGen.run(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", dir.resolve("host_key.pub").toString()))
                    .split(" ")[1];
        }

        private void prepare() {
            try {
                deleteTree(dir);
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
                if (kind == Kind.BUSYBOX) {
                    Files.createDirectories(dir.resolve("bin"));
                    root(BUSYBOX, "--install", "-s", dir.resolve("bin").toString());
                }
                List<Account> all = new ArrayList<>(accounts);
                if (kind != Kind.ROOT_LOGIN) {
                    all.add(login);
                } else {
                    Path keys = login.authorizedKeys().getParent();
                    deleteTree(keys.getParent());
                    Files.createDirectories(keys);
                    for (Path p = keys; p.startsWith(ROOT_KEYS); p = p.getParent()) {
                        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                }
                for (Account account : all) {
                    ensureUser(account.user(), account.home(), kind == Kind.BUSYBOX ? dir.resolve("bin/ash").toString() : "/bin/sh");
                    deleteTree(account.home());
                    Files.createDirectories(account.home());
                    root("chown", account.user() + ":" + account.user(), account.home().toString());
                    Files.setPosixFilePermissions(account.home(), PosixFilePermissions.fromString("rwxr-xr-x"));
                }
                newHostKey();
                writeConfig();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void writeConfig() throws IOException {
            if (kind == Kind.DROPBEAR) {
                return;
            }
            List<String> users = new ArrayList<>(List.of(login.user()));
            accounts.forEach(a -> users.add(a.user()));
            // sshd takes the first value of a keyword: the extra lines come first, so they win
            List<String> lines = new ArrayList<>(extraConfig);
            lines.addAll(List.of(
                    "Port " + port,
                    "ListenAddress 127.0.0.1",
                    "HostKey " + dir.resolve("host_key"),
                    "PidFile " + dir.resolve("sshd.pid"),
                    kind == Kind.ROOT_LOGIN
                            ? "AuthorizedKeysFile .ssh/authorized_keys " + ROOT_KEYS.resolve("host-" + index).resolve("keys") + "/%u"
                            : "AuthorizedKeysFile .ssh/authorized_keys",
                    "StrictModes yes",
                    "UsePAM no",
                    "PasswordAuthentication " + (passwords ? "yes" : "no"),
                    "KbdInteractiveAuthentication no",
                    "PermitRootLogin " + (kind == Kind.ROOT_LOGIN ? "prohibit-password" : "no"),
                    "AllowUsers " + String.join(" ", users),
                    "MaxStartups 400:30:800",
                    "MaxSessions 100",
                    "LoginGraceTime 60",
                    "LogLevel VERBOSE"));
            if (kind == Kind.OPENSSH || kind == Kind.ROOT_LOGIN) {
                lines.add("Subsystem sftp internal-sftp");
            }
            if (kind == Kind.BUSYBOX) {
                lines.add("SetEnv PATH=" + dir.resolve("bin"));
            }
            Files.writeString(dir.resolve("sshd_config"), String.join("\n", lines) + "\n");
        }

        private void ensureUser(String user, Path home, String shell) {
            synchronized (USERS) {
                if (!run(List.of("id", user)).isEmpty()) {
                    root("usermod", "-d", home.toString(), "-s", shell, user);
                } else {
                    root("useradd", "-M", "-U", "-d", home.toString(), "-s", shell, user);
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
            if (kind == Kind.DROPBEAR) {
                String out = KeyGen.run(List.of("dropbearkey", "-t", "ed25519", "-f", dir.resolve("host_key").toString()));
                String line = out.lines().filter(l -> l.startsWith("ssh-ed25519 ")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("dropbearkey printed no public key: " + out));
                try {
                    Files.writeString(dir.resolve("host_key.pub"), line + "\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return;
            }
            KeyGen.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_key").toString()));
        }

        /** Lets {@code password} log in as the host's user. */
        public void setPassword(String password) {
            try {
                Process p = new ProcessBuilder("chpasswd").redirectErrorStream(true).start();
                p.getOutputStream().write((login.user() + ":" + password + "\n").getBytes(StandardCharsets.UTF_8));
                p.getOutputStream().close();
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void launch() {
            List<String> command = kind == Kind.DROPBEAR
                    ? List.of(DROPBEAR, "-F", "-E", "-s", "-p", "127.0.0.1:" + port, "-r", dir.resolve("host_key").toString(),
                            "-P", dir.resolve("sshd.pid").toString())
                    : List.of(SSHD, "-D", "-e", "-f", dir.resolve("sshd_config").toString());
            try {
                sshd = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sshd.log").toFile())).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void awaitListening() {
            try {
                await().atMost(START_TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).until(() -> {
                    if (!sshd.isAlive()) {
                        throw new IllegalStateException("the SSH server of " + this + " exited: " + log());
                    }
                    return Ports.listening(port);
                });
            } catch (ConditionTimeoutException e) {
                throw new IllegalStateException("the SSH server of " + this + " did not listen on " + port + ": " + log(), e);
            }
        }

        /** Starts the server again after {@link #stop()} or {@link #kill()}, on the same port. */
        public void start() {
            launch();
            awaitListening();
        }

        /**
         * Restarts the listening sshd with these lines added to its configuration (none: as it was),
         * leaving the sessions it serves open, as a reload would.
         */
        public void reconfigure(String... lines) {
            extraConfig = List.of(lines);
            try {
                writeConfig();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ProcessHandle listener = sshd.toHandle();
            listener.destroy();
            try {
                listener.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                listener.destroyForcibly();
            }
            start();
        }

        /** Stops the server and every session it serves, as a shutdown would. */
        public void stop() {
            end(false);
        }

        /** Kills the server and every session it serves at once, as a crash would. */
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

        /** Forgets what the server logged so far (the log keeps growing across restarts otherwise). */
        public void clearLog() {
            try {
                Files.deleteIfExists(dir.resolve("sshd.log"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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
            return login.authorizedKeysText();
        }

        public byte[] authorizedKeysBytes() {
            return login.authorizedKeysBytes();
        }

        /** Writes the login account's authorized_keys as the user would: ~/.ssh 0700, the file 0600, both its own. */
        public void writeAuthorizedKeys(byte[] content) {
            login.writeAuthorizedKeys(content);
        }

        public void writeAuthorizedKeys(String content) {
            login.writeAuthorizedKeys(content);
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
            return listing(login.home().resolve(".ssh"));
        }

        /** Whether OpenSSH's own client logs in with this private key file. */
        public boolean acceptsLogin(Path privateKey) {
            return acceptsLogin(login.user(), privateKey);
        }

        /** Whether OpenSSH's own client logs in as {@code user} with this private key file. */
        public boolean acceptsLogin(String user, Path privateKey) {
            return ssh(user, privateKey, "true") != null;
        }

        /**
         * Runs {@code command} with OpenSSH's own client as {@code user}, logged in with this private
         * key file: its output, or null when the login or the command failed.
         */
        public String ssh(String user, Path privateKey, String command) {
            try {
                Process ssh = new ProcessBuilder("ssh", "-i", privateKey.toString(), "-o", "BatchMode=yes",
                        "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                        "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10", "-p", Integer.toString(port),
                        user + "@127.0.0.1", command).redirectErrorStream(true).start();
                String out = new String(ssh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                return ssh.waitFor(30, TimeUnit.SECONDS) && ssh.exitValue() == 0 ? out : null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        /** Runs a command on the host as root, e.g. to break something on purpose. */
        public void asRoot(String... command) {
            root(command);
        }

        @Override
        public String toString() {
            return login.user() + "@127.0.0.1:" + port + " (" + kind.name().toLowerCase(java.util.Locale.ROOT) + ")";
        }
    }

    /** The names in a directory, sorted. */
    public static List<String> listing(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

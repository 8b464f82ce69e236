package io.testum.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.testum.common.PrivateFile;

/**
 * The PostgreSQL server testum runs itself when no external database is configured: it unpacks the
 * server programs it carries (see {@link PostgresBinaries}), creates the cluster the first time,
 * and runs {@code postgres} as a child process for as long as testum runs.
 * <p>
 * Layout under the data directory:
 * <ul>
 * <li>{@code pg/}: the PostgreSQL cluster, which survives restarts;</li>
 * <li>{@code pg-bin/<version>/}: the unpacked server programs;</li>
 * <li>{@code pg.password}: the generated password of the {@code postgres} role (mode 0600);</li>
 * <li>{@code pg.log}: the server's output since the last start (mode 0600);</li>
 * <li>{@code testum.lock}: the claim of the running testum process (see {@link DataDirLock}).</li>
 * </ul>
 * The server listens on 127.0.0.1 only, on a free port, without a Unix socket, and accepts only
 * SCRAM password logins: the cluster is created with that password and that method, so there is
 * no moment in which another local user could log in without it. Unlike a test database it keeps
 * {@code fsync} and synchronous commits on.
 * <p>
 * {@link #launch} returns as soon as the server process runs, so that the application can start
 * beside it; {@link #awaitReady} waits until it accepts connections. The first start of a data
 * directory waits for the cluster to be created before it returns.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);

    static final String DATABASE = "testum";
    static final String USER = "postgres";
    static final String HBA = "# Written by testum: the embedded database takes only password logins over loopback.\n"
            + "host all all 127.0.0.1/32 scram-sha-256\n"
            + "host all all ::1/128 scram-sha-256\n";
    /**
     * PBKDF2 rounds of the role's SCRAM verifier (PostgreSQL's default is 4096). Rounds slow down
     * the guessing of a weak password from a stolen verifier; this password is 192 random bits, which
     * no number of guesses finds, and it lies beside the verifier in the data directory anyway. At
     * 4096 each login cost the native executable 15 ms of CPU, three of them on the way to ready.
     */
    static final int SCRAM_ITERATIONS = 16;
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);
    private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(10);

    private final Path dataDir;
    private final Path cluster;
    private final Path bin;
    private final DataDirLock lock;
    private final String password;
    private final int port;
    private final Process server;
    private final Thread shutdownHook;
    private volatile boolean ready;
    private volatile boolean closed;

    private EmbeddedDatabase(Path dataDir, Path bin, DataDirLock lock, String password, int port, Process server) {
        this.dataDir = dataDir;
        this.cluster = dataDir.resolve("pg");
        this.bin = bin;
        this.lock = lock;
        this.password = password;
        this.port = port;
        this.server = server;
        // The server must not outlive testum, also when the application fails to start.
        this.shutdownHook = new Thread(this::close, "embedded-postgres-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Claims {@code dataDir}, stops a server orphaned by a crashed testum, and starts the cluster
     * in {@code dataDir/pg} (creating it the first time); returns once it accepts connections.
     *
     * @throws DataDirLock.DataDirInUseException when another process holds the data directory
     */
    public static EmbeddedDatabase start(Path dataDir) {
        EmbeddedDatabase database = launch(dataDir);
        database.awaitReady();
        return database;
    }

    /**
     * Like {@link #start}, but returns as soon as the server process runs; its address and
     * credentials are known then. Call {@link #awaitReady} before the first connection.
     */
    public static EmbeddedDatabase launch(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        createPrivateDirectory(dir);
        DataDirLock lock = DataDirLock.acquire(dir);
        try {
            Path cluster = dir.resolve("pg");
            stopOrphanedServer(cluster);
            Path bin = PostgresBinaries.prepare(dir.resolve("pg-bin")).resolve("bin");
            Path passwordFile = dir.resolve("pg.password");
            if (!Files.exists(cluster.resolve("PG_VERSION"))) {
                initialize(dir, bin, passwordFile);
            } else if (!Files.exists(passwordFile)) {
                throw new IllegalStateException(cluster + " has no password file " + passwordFile + ": it was not set up "
                        + "completely by an earlier testum. Move " + cluster + " away to start with an empty database.");
            }
            checkVersion(cluster);
            writeHba(cluster);
            String password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            int port = freePort();
            Process server = command(bin, "postgres", "-D", cluster.toString(),
                    "-c", "listen_addresses=127.0.0.1",
                    "-c", "port=" + port,
                    "-c", "unix_socket_directories=",
                    "-c", "fsync=on",
                    "-c", "synchronous_commit=on",
                    "-c", "max_connections=100")
                    .redirectErrorStream(true).redirectOutput(logFile(dir).toFile()).start();
            return new EmbeddedDatabase(dir, bin, lock, password, port, server);
        } catch (IOException | RuntimeException e) {
            lock.close();
            if (e instanceof DataDirLock.DataDirInUseException in) {
                throw in;
            }
            throw new IllegalStateException("The embedded PostgreSQL in " + dir.resolve("pg") + " did not start: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Waits until the server accepts connections.
     *
     * @throws IllegalStateException when it stopped, or did not get there within a minute, with its output
     */
    public void awaitReady() {
        if (ready) {
            return;
        }
        long deadline = System.nanoTime() + STARTUP_WAIT.toNanos();
        Path pidFile = cluster.resolve("postmaster.pid");
        while (!accepting(pidFile)) {
            if (!server.isAlive()) {
                throw failure("stopped with exit status " + server.exitValue());
            }
            if (System.nanoTime() > deadline) {
                throw failure("did not accept connections within " + STARTUP_WAIT.toSeconds() + " s");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("was interrupted while starting");
            }
        }
        ready = true;
        LOG.infof("Embedded PostgreSQL listens on 127.0.0.1:%d; its data is in %s", port, cluster);
    }

    /** Where the server listens: credentials are given apart, as {@link #user()} and {@link #password()}. */
    public DatabaseUrl url() {
        return new DatabaseUrl("127.0.0.1", port, DATABASE, "", Optional.empty(), Optional.empty());
    }

    public String user() {
        return USER;
    }

    public String password() {
        return password;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the server (fast shutdown: open sessions end, committed work is kept), then releases the data directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (server.isAlive()) {
                stopServer();
            }
        } finally {
            lock.close();
            if (Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is exiting; the hook finds the server stopped
                }
            }
        }
    }

    private void stopServer() {
        try {
            Process stop = command(bin, "pg_ctl", "stop", "-D", cluster.toString(), "-m", "fast", "-w",
                    "-t", Long.toString(STOP_WAIT.toSeconds())).redirectErrorStream(true).start();
            String said = new String(stop.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            stop.waitFor(STOP_WAIT.toSeconds() + 5, TimeUnit.SECONDS);
            if (!server.waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warnf("The embedded PostgreSQL did not stop within %d s (pg_ctl: %s); killing it", STOP_WAIT.toSeconds(),
                        said);
                server.destroyForcibly().waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            LOG.warnf("The embedded PostgreSQL could not be asked to stop (%s); killing it", e.getMessage());
            server.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.destroyForcibly();
        }
    }

    /**
     * The first start of a data directory: the password file, then {@code initdb} with that password
     * and SCRAM logins only, then the {@code testum} database, all in a scratch folder renamed to
     * {@code pg} at the end, so an interrupted first start leaves nothing half made behind.
     */
    private static void initialize(Path dir, Path bin, Path passwordFile) throws IOException {
        long started = System.nanoTime();
        if (!Files.exists(passwordFile)) {
            PrivateFile.write(passwordFile, newPassword() + "\n");
        }
        Path scratch = dir.resolve("pg.init");
        PostgresBinaries.deleteTree(scratch);
        run(bin, "initdb", "-D", scratch.toString(), "-U", USER, "-E", "UTF8", "--locale=C",
                "--auth=scram-sha-256", "--pwfile=" + passwordFile, "--no-instructions",
                "-c", "scram_iterations=" + SCRAM_ITERATIONS);
        writeHba(scratch);
        // Single-user mode: the database is created before the server ever listens.
        runWithInput(bin, "CREATE DATABASE " + DATABASE + ";\n", "postgres", "--single", "-D", scratch.toString(),
                "-c", "listen_addresses=", "-c", "unix_socket_directories=", "postgres");
        Files.move(scratch, dir.resolve("pg"), StandardCopyOption.ATOMIC_MOVE);
        LOG.infof("Created the embedded PostgreSQL cluster in %s in %d ms", dir.resolve("pg"),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Loopback password logins only, rewritten when someone changed it. */
    private static void writeHba(Path cluster) throws IOException {
        Path hba = cluster.resolve("pg_hba.conf");
        if (!Files.exists(hba) || !Files.readString(hba, StandardCharsets.UTF_8).equals(HBA)) {
            PrivateFile.write(hba, HBA);
        }
    }

    private static void checkVersion(Path cluster) throws IOException {
        String version = Files.readString(cluster.resolve("PG_VERSION"), StandardCharsets.UTF_8).strip();
        String carried = PostgresBinaries.majorVersion();
        if (!version.equals(carried)) {
            throw new IllegalStateException(cluster + " holds a PostgreSQL " + version + " cluster, and this testum carries "
                    + "PostgreSQL " + carried + ". Dump it with PostgreSQL " + version + "'s pg_dump and restore it into an "
                    + "empty data directory, or run this testum against an external database (testum.db.url).");
        }
    }

    /** Whether {@code postmaster.pid} says the server accepts connections (its eighth line, since PostgreSQL 10). */
    private boolean accepting(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            return lines.size() >= 8 && lines.get(0).strip().equals(Long.toString(server.pid()))
                    && lines.get(7).strip().equals("ready");
        } catch (NoSuchFileException notYet) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private IllegalStateException failure(String what) {
        String output;
        try {
            List<String> lines = Files.readAllLines(logFile(dataDir), StandardCharsets.UTF_8);
            output = String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            output = "(no output: " + e.getMessage() + ")";
        }
        if (server.isAlive()) {
            server.destroyForcibly();
        }
        return new IllegalStateException("The embedded PostgreSQL in " + cluster + " " + what + ". Its output ("
                + logFile(dataDir) + "):\n" + output);
    }

    private static Path logFile(Path dir) throws UncheckedIOException {
        Path log = dir.resolve("pg.log");
        try {
            if (!Files.exists(log)) {
                Files.createFile(log, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return log;
    }

    /**
     * A server program. PostgreSQL refuses to run as root; a testum started as root runs it in a
     * user namespace of its own ({@code unshare -U}), where it is an unprivileged user that still
     * owns the files testum created.
     */
    private static ProcessBuilder command(Path bin, String program, String... args) {
        List<String> command = new ArrayList<>();
        if (RunningUser.isRoot()) {
            command.addAll(List.of(RunningUser.unshare(), "-U"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    private static void run(Path bin, String program, String... args) throws IOException {
        runWithInput(bin, null, program, args);
    }

    private static void runWithInput(Path bin, String input, String program, String... args) throws IOException {
        Process process = command(bin, program, args).redirectErrorStream(true).start();
        if (input != null) {
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(STARTUP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(program + " did not finish within " + STARTUP_WAIT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException(program + " was interrupted", e);
        }
        if (process.exitValue() != 0 || output.contains("ERROR:")) {
            throw new IOException(program + " failed with exit status " + process.exitValue() + ": " + output.strip());
        }
    }

    /** A free TCP port on 127.0.0.1 for the server; it binds it a moment later. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            return socket.getLocalPort();
        }
    }

    /**
     * testum holds the data directory's lock, so a server still running on the cluster was left
     * by a testum process that died without stopping it. Stop it before starting our own.
     */
    private static void stopOrphanedServer(Path cluster) throws IOException {
        Path pidFile = cluster.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).strip());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(true));
        if (process.isEmpty()) {
            return;
        }
        LOG.warnf("Stopping PostgreSQL pid %d, left running on %s by a testum process that ended without stopping it",
                pid, cluster);
        process.get().destroy();
        try {
            process.get().onExit().get(ORPHAN_STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("PostgreSQL pid " + pid + " still runs on " + cluster
                    + " and did not stop within " + ORPHAN_STOP_WAIT.toSeconds() + " s; stop it, then start testum again");
        }
    }

    private static void createPrivateDirectory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent() == null ? dir : dir.getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create the data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String newPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

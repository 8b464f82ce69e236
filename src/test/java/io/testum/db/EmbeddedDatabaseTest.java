package io.testum.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded PostgreSQL on a real data directory, with real second processes. */
class EmbeddedDatabaseTest {

    @TempDir
    Path dataDir;

    private static Connection connect(EmbeddedDatabase db, String password) throws SQLException {
        return DriverManager.getConnection(db.url().jdbcUrl(), db.user(), password);
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void keepsItsDataAcrossRestarts() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir);
                Connection c = connect(db, db.password()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (text text)");
            s.execute("INSERT INTO notes VALUES ('kept')");
        }
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir);
                Connection c = connect(db, db.password()); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT text FROM notes")) {
            rs.next();
            assertEquals("kept", rs.getString(1));
            assertEquals(dataDir.toAbsolutePath().normalize(), db.dataDir());
        }
    }

    @Test
    void takesOnlyPasswordLoginsOnLoopbackAndKeepsWritesDurable() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir); Connection c = connect(db, db.password())) {
            assertEquals("127.0.0.1", show(c, "listen_addresses"));
            assertEquals("on", show(c, "fsync"));
            assertEquals("on", show(c, "synchronous_commit"));
            SQLException refused = assertThrows(SQLException.class, () -> connect(db, "wrong").close());
            assertTrue(refused.getMessage().contains("password authentication failed"), refused.getMessage());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("pg.password"))));
        }
    }

    /** PBKDF2 rounds guard guessable passwords; the generated one is not, so logins stay cheap. */
    @Test
    void aNewClusterKeepsItsGeneratedPasswordAsAScramVerifierOfFewRounds() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir); Connection c = connect(db, db.password());
                var query = c.prepareStatement("SELECT rolpassword FROM pg_authid WHERE rolname = current_user");
                var rows = query.executeQuery()) {
            assertTrue(rows.next());
            String verifier = rows.getString(1);
            assertTrue(verifier.startsWith("SCRAM-SHA-256$" + EmbeddedDatabase.SCRAM_ITERATIONS + ":"),
                    verifier.substring(0, verifier.indexOf(':') + 1));
            assertEquals(Integer.toString(EmbeddedDatabase.SCRAM_ITERATIONS), show(c, "scram_iterations"));
        }
    }

    /**
     * The first start creates the cluster with its password: from the moment the server listens, a
     * login without it (or with a wrong one) is refused. A prober tries both as fast as it can while
     * the first start runs, reading the port from {@code postmaster.pid} as soon as it appears.
     */
    @Test
    void refusesLoginsWithoutThePasswordFromTheMomentTheFirstStartListens() throws Exception {
        java.util.concurrent.atomic.AtomicReference<String> admitted = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        Path pidFile = dataDir.resolve("pg/postmaster.pid");
        Thread prober = Thread.ofPlatform().start(() -> {
            while (!started.get() && admitted.get() == null) {
                int port = portIn(pidFile);
                if (port > 0) {
                    for (String password : new String[] {"", "wrong"}) {
                        attempts.incrementAndGet();
                        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                                EmbeddedDatabase.USER, password)) {
                            admitted.set("'" + password + "'");
                        } catch (SQLException refused) {
                            // what must happen
                        }
                    }
                } else {
                    Thread.onSpinWait();
                }
            }
        });
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir)) {
            started.set(true);
            prober.join();
            assertEquals(null, admitted.get(), "a login with the password " + admitted.get() + " was let in");
            assertTrue(attempts.get() > 0, "the prober tried while the server started");
            try (Connection c = connect(db, db.password()); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT DISTINCT auth_method FROM pg_hba_file_rules")) {
                rs.next();
                assertEquals("scram-sha-256", rs.getString(1));
                assertTrue(!rs.next(), "no other login method");
            }
            for (String password : new String[] {"", "wrong"}) {
                assertThrows(SQLException.class, () -> connect(db, password).close());
            }
        }
    }

    private static int portIn(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile);
            return lines.size() >= 4 ? Integer.parseInt(lines.get(3).strip()) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    @Test
    void aStartAgainInTheSameProcessTakesOverItsOwnClaimWhileOtherProcessesStayRefused() throws Exception {
        Files.createDirectories(dataDir);
        // dev mode starts the application again in a new class loader; a start that failed left its claim open
        DataDirLock earlier = DataDirLock.acquire(dataDir);
        DataDirLock again = DataDirLock.acquire(dataDir);
        try {
            Process other = javaProcess(SecondStart.class, dataDir.toString());
            assertTrue(other.waitFor(60, TimeUnit.SECONDS));
            String output = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(3, other.exitValue(), output);
        } finally {
            again.close();
            earlier.close();
        }
    }

    @Test
    void refusesASecondProcessOnTheSameDataDirAndLeavesTheFirstRunning() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir)) {
            Process second = javaProcess(SecondStart.class, dataDir.toString());
            assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the second process gives up at once");
            String output = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(3, second.exitValue(), output);
            assertTrue(output.contains("is in use by another testum process (pid " + ProcessHandle.current().pid()), output);
            try (Connection c = connect(db, db.password())) {
                assertEquals("127.0.0.1", show(c, "listen_addresses"), "the first still answers");
            }
        }
    }

    @Test
    void stopsTheServerThatAKilledProcessLeftRunning() throws Exception {
        Process crashed = javaProcess(SecondStart.class, dataDir.toString(), "--hold");
        try {
            killAfterItStarted(crashed);
        } finally {
            crashed.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        long orphan = Long.parseLong(Files.readAllLines(dataDir.resolve("pg/postmaster.pid")).get(0).strip());
        assertTrue(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false), "postgres outlived its parent");

        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir); Connection c = connect(db, db.password())) {
            assertEquals("on", show(c, "fsync"));
            long current = Long.parseLong(Files.readAllLines(dataDir.resolve("pg/postmaster.pid")).get(0).strip());
            assertNotEquals(orphan, current);
        }
        assertTrue(ProcessHandle.of(orphan).map(p -> !p.isAlive()).orElse(true), "the orphan is gone");
    }

    private static void killAfterItStarted(Process crashed) throws IOException {
        var lines = new java.io.BufferedReader(new java.io.InputStreamReader(crashed.getInputStream(), StandardCharsets.UTF_8));
        String line;
        do {
            line = lines.readLine();
        } while (line != null && !line.equals("ready"));
        assertEquals("ready", line, "the first process started its server");
    }

    private static Process javaProcess(Class<?> main, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** A second process that tries the same data directory: exit 3 with the message when refused. */
    public static final class SecondStart {
        public static void main(String[] args) throws Exception {
            try {
                EmbeddedDatabase db = EmbeddedDatabase.start(Path.of(args[0]));
                if (args.length > 1) {
                    System.out.print("ready\n");
                    System.out.flush();
                    Thread.sleep(Long.MAX_VALUE);
                }
                db.close();
            } catch (DataDirLock.DataDirInUseException e) {
                System.out.println(e.getMessage());
                System.exit(3);
            }
        }
    }
}

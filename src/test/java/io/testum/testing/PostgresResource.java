package io.testum.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.testum.db.EmbeddedDatabase;

/**
 * A real PostgreSQL 17 for {@code @QuarkusTest}s: one server per test JVM (testum's own embedded
 * server, in {@code target/test-postgres-<pid>}), and a fresh database for every application
 * start. A test class says {@code @WithTestResource(PostgresResource.class)}.
 * <p>
 * Each test profile loads this class anew, so the running server is found through system
 * properties, not a static field.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private static final String PORT = "it.postgres.port";
    private static final String PASSWORD = "it.postgres.password";
    private static final String USER = "postgres";

    private static synchronized void ensureServer() {
        if (System.getProperty(PORT) == null) {
            Path dir = Path.of("target", "test-postgres-" + ProcessHandle.current().pid());
            EmbeddedDatabase server = EmbeddedDatabase.start(dir);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            System.setProperty(PASSWORD, server.password());
            System.setProperty(PORT, Integer.toString(server.url().port()));
        }
    }

    @Override
    public Map<String, String> start() {
        ensureServer();
        String port = System.getProperty(PORT);
        String password = System.getProperty(PASSWORD);
        String database = "test_" + Long.toHexString(System.nanoTime());
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER, password);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the test database: " + e.getMessage(), e);
        }
        return Map.of(
                "testum.db.url", "postgresql://127.0.0.1:" + port + "/" + database,
                "testum.db.user", USER,
                "testum.db.password", password);
    }

    @Override
    public void stop() {
        // The server lives as long as the test JVM; each start has its own database.
    }
}

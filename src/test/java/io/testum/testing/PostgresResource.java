package io.testum.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.testum.db.EmbeddedDatabase;

/**
 * A real PostgreSQL 17 for {@code @QuarkusTest}s: one server per test JVM (testum's own embedded
 * server, in {@code target/test-postgres}), and a fresh database for every application start.
 * A test class says {@code @WithTestResource(PostgresResource.class)}.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedDatabase server;

    static synchronized EmbeddedDatabase server() {
        if (server == null) {
            Path dir = Path.of("target", "test-postgres-" + ProcessHandle.current().pid());
            server = EmbeddedDatabase.start(dir);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        }
        return server;
    }

    @Override
    public Map<String, String> start() {
        EmbeddedDatabase pg = server();
        String database = "test_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.url().port() + "/postgres",
                pg.user(), pg.password()); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the test database: " + e.getMessage(), e);
        }
        return Map.of(
                "testum.db.url", "postgresql://127.0.0.1:" + pg.url().port() + "/" + database,
                "testum.db.user", pg.user(),
                "testum.db.password", pg.password());
    }

    @Override
    public void stop() {
        // The server lives as long as the test JVM; each start has its own database.
    }
}

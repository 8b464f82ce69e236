package io.testum.db;

import java.nio.file.Path;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The embedded server of this application's lifetime: launched by {@link DatabaseConfigSourceFactory}
 * before the beans exist, so that it starts while the application does; awaited by
 * {@link SchemaMigration} before the first connection; stopped when the application stops (also at
 * each dev-mode reload, which frees the data directory for the next start).
 */
@ApplicationScoped
public class EmbeddedDatabases {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabases.class);
    private static EmbeddedDatabase running;

    private final DatabaseConfig config;

    public EmbeddedDatabases(DatabaseConfig config) {
        this.config = config;
    }

    static synchronized EmbeddedDatabase start(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        if (running != null && running.dataDir().equals(dir)) {
            return running;
        }
        stop();
        running = EmbeddedDatabase.launch(dir);
        return running;
    }

    /** Waits until the embedded server, if this process runs one, accepts connections. */
    static void awaitReady() {
        EmbeddedDatabase database;
        synchronized (EmbeddedDatabases.class) {
            database = running;
        }
        if (database != null) {
            database.awaitReady();
        }
    }

    static synchronized void stop() {
        if (running != null) {
            running.close();
            running = null;
        }
    }

    /** Whether this process runs its own PostgreSQL. */
    public static synchronized boolean embedded() {
        return running != null;
    }

    void onStart(@Observes StartupEvent event) {
        config.url().ifPresent(url -> LOG.infof("Using the external PostgreSQL at %s", DatabaseUrl.parse(url)));
    }

    void onStop(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
        stop();
    }
}

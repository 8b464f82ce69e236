package io.testum.db;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Brings the schema up to date before anything else touches the database: first of all startup
 * work, after the embedded PostgreSQL (if any) accepts connections.
 * <p>
 * A start on a database that already has every migration testum carries, with the same checksums,
 * asks one query and leaves Flyway alone (Flyway's own start costs more than a second here). Any
 * difference, including a table that does not exist yet, a failed or an unknown migration, hands
 * over to Flyway, which migrates or says what is wrong. {@code db/migrations.txt}, written when
 * testum is built, lists the migrations; the checksums are computed as Flyway computes them.
 */
@Singleton
public class SchemaMigration {

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class);
    static final String INDEX = "db/migrations.txt";
    static final String LOCATION = "db/migration/";

    private final Pool pool;
    private final Instance<Flyway> flyway;
    private final Duration databaseWait;

    public SchemaMigration(Pool pool, Instance<Flyway> flyway, DatabaseConfig database) {
        this.pool = pool;
        this.flyway = flyway;
        this.databaseWait = database.waitTimeout();
    }

    /** Before every other startup observer, and before the scheduler starts its jobs (priority 0). */
    void onStart(@Observes @Priority(-1000) StartupEvent event) {
        EmbeddedDatabases.awaitReady();
        migrate();
    }

    /** Migrates unless the schema is current; answers whether Flyway ran. */
    public boolean migrate() {
        long started = System.nanoTime();
        if (isCurrent()) {
            LOG.debugf("Schema is current (%d migrations), checked in %d ms", carried().size(),
                    (System.nanoTime() - started) / 1_000_000);
            return false;
        }
        flyway.get().migrate();
        return true;
    }

    /** Whether the database has applied exactly the migrations testum carries, each successfully and unchanged. */
    public boolean isCurrent() {
        Map<String, Integer> carried = carried();
        Map<String, Integer> applied = new HashMap<>();
        try {
            for (Row row : pool.query("SELECT version, checksum, success FROM flyway_schema_history WHERE version IS NOT NULL")
                    .execute().await().atMost(databaseWait)) {
                if (!row.getBoolean("success")) {
                    return false;
                }
                applied.put(row.getString("version"), row.getInteger("checksum"));
            }
        } catch (RuntimeException e) {
            // No history table yet, or none readable: Flyway decides.
            LOG.debugf("Schema history not readable (%s); Flyway decides", e.getMessage());
            return false;
        }
        return applied.equals(carried);
    }

    /** Version and Flyway checksum of every migration in {@value #INDEX}. */
    static Map<String, Integer> carried() {
        Map<String, Integer> migrations = new HashMap<>();
        for (String file : read(INDEX).split("\n")) {
            String name = file.strip();
            if (name.isEmpty()) {
                continue;
            }
            int separator = name.indexOf("__");
            if (!name.startsWith("V") || separator < 0) {
                throw new IllegalStateException(INDEX + " names " + name + ", which is not a versioned migration");
            }
            migrations.put(name.substring(1, separator).replace('_', '.'), checksum(read(LOCATION + name)));
        }
        return migrations;
    }

    /** Flyway's checksum: CRC-32 over the UTF-8 bytes of every line, without line breaks or byte order mark. */
    static int checksum(String text) {
        CRC32 crc = new CRC32();
        try (BufferedReader lines = new BufferedReader(new java.io.StringReader(text))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1);
                }
                crc.update(line.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return (int) crc.getValue();
    }

    private static String read(String resource) {
        try (InputStream in = SchemaMigration.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from testum's resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

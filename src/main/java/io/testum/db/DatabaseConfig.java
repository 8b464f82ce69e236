package io.testum.db;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The database testum keeps its state in. {@link DatabaseConfigSourceFactory} reads these keys
 * before the application starts; this mapping documents and validates them.
 */
@ConfigMapping(prefix = "testum.db")
public interface DatabaseConfig {

    /**
     * {@code postgresql://host:port/db} of an external PostgreSQL. Unset: testum runs an embedded
     * PostgreSQL whose data lives in {@code testum.data-dir}/pg.
     */
    Optional<String> url();

    /** User for the external database (or the URL's user-info). */
    Optional<String> user();

    /** Password for the external database (or the URL's user-info). */
    Optional<String> password();

    /**
     * The longest a blocking caller (a scheduled job, a deployment or run worker, an endpoint that
     * also talks Git or SSH) waits for a database answer before it fails instead of hanging.
     */
    @WithDefault("2m")
    Duration waitTimeout();
}

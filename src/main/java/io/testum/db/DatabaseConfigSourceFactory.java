package io.testum.db;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * Turns testum's database keys into the datasource Quarkus builds, once per application start.
 * <ul>
 * <li>{@code testum.db.url} set: that external PostgreSQL, with {@code testum.db.user} and
 * {@code testum.db.password} (or the URL's user-info);</li>
 * <li>unset: an {@link EmbeddedDatabase} in {@code testum.data-dir}, launched here because the
 * reactive pool and Flyway read their URL before any bean exists. Its address is known at once;
 * the server comes up while the application starts, and {@link SchemaMigration} waits for it.</li>
 * </ul>
 * One URL feeds both the reactive pool and Flyway's JDBC connection. The factory also runs while
 * Quarkus builds the application; it does nothing then.
 */
public final class DatabaseConfigSourceFactory implements ConfigSourceFactory {

    static final String URL = "testum.db.url";
    static final String USER = "testum.db.user";
    static final String PASSWORD = "testum.db.password";
    static final String DATA_DIR = "testum.data-dir";
    static final String DEFAULT_DATA_DIR = "./testum-data";
    /** Below application.properties (250), so an explicit quarkus.datasource.* setting still wins. */
    private static final int ORDINAL = 200;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (ExecutionMode.current() != ExecutionMode.RUNTIME_INIT) {
            return List.of();
        }
        try {
            return List.of(new MapBackedConfigSource("testum database", datasource(context), ORDINAL) {
            });
        } catch (RuntimeException e) {
            // Logging is not set up this early: say it plainly before Quarkus prints the stack trace.
            System.err.println("testum cannot start: " + e.getMessage());
            throw e;
        }
    }

    private static Map<String, String> datasource(ConfigSourceContext context) {
        Map<String, String> properties = new HashMap<>();
        Optional<String> url = value(context, URL);
        if (url.isPresent()) {
            DatabaseUrl parsed = DatabaseUrl.parse(url.get());
            putDatasource(properties, parsed,
                    value(context, USER).or(parsed::user).orElse(null),
                    value(context, PASSWORD).or(parsed::password).orElse(null));
        } else {
            Path dataDir = Path.of(value(context, DATA_DIR).orElse(DEFAULT_DATA_DIR));
            EmbeddedDatabase database = EmbeddedDatabases.start(dataDir);
            putDatasource(properties, database.url(), database.user(), database.password());
        }
        return properties;
    }

    private static void putDatasource(Map<String, String> properties, DatabaseUrl url, String user, String password) {
        properties.put("quarkus.datasource.reactive.url", url.reactiveUrl());
        properties.put("quarkus.datasource.jdbc.url", url.jdbcUrl());
        if (user != null) {
            properties.put("quarkus.datasource.username", user);
        }
        if (password != null) {
            properties.put("quarkus.datasource.password", password);
        }
    }

    private static Optional<String> value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return Optional.ofNullable(value == null ? null : value.getValue()).map(String::strip).filter(v -> !v.isEmpty());
    }
}

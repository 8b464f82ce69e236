package io.testum.testing;

import java.time.Duration;
import java.util.Optional;

import io.testum.db.DatabaseConfig;

/** The database settings a component needs when a test never lets it reach the database. */
public record OfflineDatabaseConfig(Duration waitTimeout) implements DatabaseConfig {

    public OfflineDatabaseConfig() {
        this(Duration.ofMinutes(2));
    }

    @Override
    public Optional<String> url() {
        return Optional.empty();
    }

    @Override
    public Optional<String> user() {
        return Optional.empty();
    }

    @Override
    public Optional<String> password() {
        return Optional.empty();
    }
}

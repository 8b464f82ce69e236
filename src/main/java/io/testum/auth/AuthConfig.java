package io.testum.auth;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Logins, tokens and throttling. */
@ConfigMapping(prefix = "testum.auth")
public interface AuthConfig {

    /** How long an access token (JWT) is valid. */
    @WithDefault("15m")
    Duration accessTokenLifetime();

    /** How long a refresh token, and a session without activity, stay valid. */
    @WithDefault("7d")
    Duration refreshTokenLifetime();

    /**
     * The RSA private key (PEM, PKCS#8) that signs access tokens. Unset: one is generated at
     * first start and stored, sealed under the master key, in the database, so every replica
     * shares it.
     */
    Optional<String> signingKey();

    /** Failed logins per user name, and per client address, before logins are refused for a while. */
    @WithDefault("10")
    int maxFailures();

    /** The window in which failed logins are counted, and how long a throttled login waits. */
    @WithDefault("5m")
    Duration failureWindow();
}

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

    /** How long a refresh token, and a session without activity, stay valid (at most {@link #sessionLifetime()}). */
    @WithDefault("7d")
    Duration refreshTokenLifetime();

    /**
     * The longest a session lasts from its login, however active: then its access and refresh
     * tokens stop working, its live streams end, and the user logs in again.
     */
    @WithDefault("12h")
    Duration sessionLifetime();

    /**
     * How often a live stream (run output over a WebSocket or Server-Sent Events) checks that its
     * caller may still see it: session not ended or expired, user enabled, role enough, API token
     * not revoked. A stream whose caller lost access ends.
     */
    @WithDefault("30s")
    Duration streamRecheck();

    /**
     * The RSA private key (PEM, PKCS#8) that signs access tokens. Unset: one is generated at
     * first start and stored, sealed under the master key, in the database, so every replica
     * shares it.
     */
    Optional<String> signingKey();

    /**
     * Failed logins per user name, and per client address, that are answered at once; after them,
     * each attempt waits {@link #backoff()}, doubled with every further failure.
     */
    @WithDefault("10")
    int maxFailures();

    /** How long the failures of a user name or address are remembered after the last one. Longer than {@link #maxBackoff()}. */
    @WithDefault("15m")
    Duration failureWindow();

    /** The wait after {@link #maxFailures()} failures; every further failure doubles it. */
    @WithDefault("1s")
    Duration backoff();

    /** The longest wait between two login attempts of a throttled user name or address. */
    @WithDefault("5m")
    Duration maxBackoff();
}

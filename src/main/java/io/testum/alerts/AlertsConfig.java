package io.testum.alerts;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Outgoing notifications. */
@ConfigMapping(prefix = "testum.alerts")
public interface AlertsConfig {

    /** How many times a delivery is tried before it is marked failed (the first try included). */
    @WithDefault("6")
    int maxAttempts();

    /** The wait before the second try; each further try waits twice as long as the one before. */
    @WithDefault("10s")
    Duration retryDelay();

    /** The longest wait between two tries. */
    @WithDefault("15m")
    Duration maxRetryDelay();

    /** How long one try may take to connect and to get its answer. */
    @WithDefault("10s")
    Duration timeout();

    /** How often the leader looks for deliveries that are due (new ones are also sent at once). */
    @WithDefault("30s")
    Duration poll();

    /**
     * Whether an alert's URL may point to a loopback, link-local (including cloud metadata such as
     * 169.254.169.254), private (RFC 1918, unique-local IPv6) or unspecified address. Off by
     * default: an alert then cannot be used to reach services inside the network testum runs in.
     * Checked when the alert is saved and again, on the resolved address, at each try.
     */
    @WithDefault("false")
    boolean allowPrivateTargets();

    /**
     * How long delivered and failed deliveries are kept in the delivery log; pruned on the leader
     * every {@code testum.retention.interval}. {@code 0s} keeps them forever.
     */
    @WithDefault("30d")
    Duration keepDeliveries();
}

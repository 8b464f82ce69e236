package io.testum.stats;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The leader's periodic check that every platform's SSH port answers. */
@ConfigMapping(prefix = "testum.reachability")
public interface ReachabilityConfig {

    /** How often every platform is checked (on the leader only). */
    @WithDefault("60s")
    Duration interval();

    /** Time allowed per platform to connect and receive the SSH banner; longer counts as unreachable. */
    @WithDefault("5s")
    Duration timeout();
}

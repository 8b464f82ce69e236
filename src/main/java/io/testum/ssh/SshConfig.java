package io.testum.ssh;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How testum connects to platforms. */
@ConfigMapping(prefix = "testum.ssh")
public interface SshConfig {

    /** What testum accepts as a host key. */
    enum HostKeyPolicy {
        /** Pin the host key at first contact; a different key later is refused. */
        TOFU,
        /** The platform must declare {@code host_key}; anything else is refused. */
        STRICT
    }

    /** {@code tofu} or {@code strict}; a key that differs from the pinned one is always refused. */
    @WithDefault("tofu")
    HostKeyPolicy hostKeyPolicy();

    /** Time allowed to open the TCP connection, agree on keys, and authenticate. */
    @WithDefault("10s")
    Duration connectTimeout();

    /** SSH sessions open at once across the service; further connects wait for a free one. */
    @WithDefault("64")
    int maxConcurrency();
}

package io.testum.ssh;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

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

    /**
     * The key exchange algorithms testum offers, in order of preference, named as OpenSSH's
     * {@code KexAlgorithms} names them ({@code sntrup761x25519-sha512}, {@code curve25519-sha256},
     * ...). Unset: all that MINA SSHD supports, the post-quantum hybrid
     * {@code sntrup761x25519-sha512} first, as OpenSSH does. That one costs the JVM about four times
     * the CPU of {@code curve25519-sha256} per connection (README, deployment benchmark); a fleet
     * that trades its protection of recorded sessions against a future quantum computer for CPU
     * may put {@code curve25519-sha256} first.
     */
    Optional<List<String>> kexAlgorithms();
}

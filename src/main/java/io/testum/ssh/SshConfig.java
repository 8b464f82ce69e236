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

    /** SSH sessions open at once across the service, all kinds of work together; further connects wait for a free one. */
    @WithDefault("64")
    int maxConcurrency();

    /**
     * The key exchange algorithms testum offers, in order of preference, named as OpenSSH's
     * {@code KexAlgorithms} names them ({@code mlkem768x25519-sha256}, {@code curve25519-sha256},
     * {@code sntrup761x25519-sha512}, ...), chosen from all that MINA SSHD supports. Unset: MINA's
     * order without {@code sntrup761x25519-sha512}, so the post-quantum hybrid
     * {@code mlkem768x25519-sha256} first and {@code curve25519-sha256} for servers without it;
     * sntrup761 costs the JVM about 150 ms of CPU per connection (README, deployment benchmark),
     * and OpenSSH 9 offers it first. A fleet of OpenSSH 9.0-9.8 servers that wants post-quantum
     * key exchange names it here.
     */
    Optional<List<String>> kexAlgorithms();

    /**
     * Slots of {@code max-concurrency} that only deployments and drift checks may take, so that a
     * fleet run never delays them. 0 reserves none.
     */
    @WithDefault("8")
    int reservedForDeployments();

    /**
     * test-ssh, host stats and container calls open at once (they come from people, and need a
     * slot even while a run is busy); runs may not take these slots either.
     */
    @WithDefault("8")
    int interactiveConcurrency();

    /** Host stats and container calls that one user may make reach a host within {@code interactive-window}; more answer 429. */
    @WithDefault("30")
    int interactivePerUser();

    /** The window of {@code interactive-per-user}. */
    @WithDefault("1m")
    Duration interactiveWindow();

    /**
     * Connections kept open between deployments: the fresh login that proves a deployment left
     * testum able to get in stays open, idle, and the next deployment to that platform writes over
     * it, so a deployment costs one login rather than two. It serves only a login that is the same
     * in every part (platform, address, account, credential and its secret, the pinned host key).
     */
    KeepAlive keepAlive();

    /** {@code testum.ssh.keep-alive.*}. */
    interface KeepAlive {

        /** Whether connections are kept between deployments at all; false: every deployment logs in for its write. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Idle connections kept at most, across the service (one per platform at most); past it the
         * least recently kept are closed. They hold no slot of {@code max-concurrency}.
         */
        @WithDefault("256")
        int maxIdle();

        /** How long a kept connection waits for the next deployment before testum closes it. */
        @WithDefault("5m")
        Duration idleTimeout();
    }

    /** Slots runs may hold at once: what deployments and interactive calls keep for themselves is not theirs. */
    default int runSlots() {
        return maxConcurrency() - reservedForDeployments() - interactiveConcurrency();
    }
}

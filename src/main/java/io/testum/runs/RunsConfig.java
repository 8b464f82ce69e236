package io.testum.runs;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits and pacing of ad-hoc runs. */
@ConfigMapping(prefix = "testum.runs")
public interface RunsConfig {

    /** The longest {@code timeout_seconds} a run may ask for. */
    @WithDefault("1h")
    Duration maxTimeout();

    /** Bytes of stdout, and of stderr, kept per host; the rest is dropped and the result marked truncated. */
    @WithDefault("1048576")
    int maxOutputBytes();

    /** The longest {@code script} a run may carry, in bytes (it travels on stdin to every host). */
    @WithDefault("262144")
    int maxScriptBytes();

    /** The most platforms one run may target; a run that resolves to more is refused (400). */
    @WithDefault("5000")
    int maxTargets();

    /** Runs one replica executes at once; more wait queued. */
    @WithDefault("4")
    int workers();

    /** How long a claimed run stays claimed without a heartbeat before another replica marks it failed. */
    @WithDefault("30s")
    Duration lease();

    /** How often each replica looks for queued runs, renews its leases and reaps expired ones. */
    @WithDefault("1s")
    Duration poll();
}

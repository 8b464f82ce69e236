package io.testum.retention;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How long testum keeps what grows with use; {@code 0s} keeps that kind forever. */
@ConfigMapping(prefix = "testum.retention")
public interface RetentionConfig {

    /** How often the leader removes what is past its retention. */
    @WithDefault("1h")
    Duration interval();

    /** Finished runs older than this go, with their hosts' results and their output events. */
    @WithDefault("90d")
    Duration runs();

    /** Sessions that ended (logged out, revoked, expired) longer ago than this go, with their refresh tokens. */
    @WithDefault("30d")
    Duration sessions();

    /** Login throttle counters whose window began longer ago than this go. */
    @WithDefault("1d")
    Duration loginThrottle();

    /** Audit entries older than this go; at least 30 days (the database keeps those whatever this says). */
    @WithDefault("730d")
    Duration audit();

    /**
     * Access history intervals that ended longer ago than this go, with their keys; what is still in
     * force always stays. {@code 0s} (the default) keeps the history forever, as an access review expects.
     */
    @WithDefault("0s")
    Duration accessHistory();
}

package io.testum.deploy;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The periodic read-back of deployed blocks. */
@ConfigMapping(prefix = "testum.drift")
public interface DriftConfig {

    /** What to do about a block someone changed on the host. */
    enum Action {
        /** Mark it drifted and write the desired block again. */
        REPAIR,
        /** Only mark it drifted, with the lines that differ. */
        REPORT
    }

    /**
     * How often deployed authorized_keys blocks are read back and compared; failed and
     * unreachable deployments are retried at the same pace.
     */
    @WithDefault("10m")
    Duration interval();

    /** {@code repair} or {@code report}. */
    @WithDefault("repair")
    Action action();
}

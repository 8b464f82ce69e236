package io.testum.schedules;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Scheduled runs. */
@ConfigMapping(prefix = "testum.schedules")
public interface SchedulesConfig {

    /** How often the leader looks for schedules that are due. */
    @WithDefault("15s")
    Duration poll();

    /**
     * How late a firing may start and still count as on time. A due time further back (no leader
     * then, the service was down) is a missed firing: {@code misfire: skip} drops it, {@code
     * run-once} runs once for the latest missed time.
     */
    @WithDefault("2m")
    Duration misfireGrace();
}

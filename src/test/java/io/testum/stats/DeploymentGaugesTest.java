package io.testum.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.testum.testing.OfflineDatabaseConfig;

/** The deployment gauges live and leave with their bean (the registry may outlive it). */
class DeploymentGaugesTest {

    @Test
    void registersOneGaugePerStatusAndRemovesThemAllAtStop() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        DeploymentGauges gauges = new DeploymentGauges(null, meters, new OfflineDatabaseConfig());
        assertEquals(FleetStatsService.DEPLOYMENT_STATUSES.size(), meters.find("testum_deployments").gauges().size());
        assertEquals(0.0, meters.get("testum_deployments").tag("status", "in_sync").gauge().value());

        gauges.onStop(null);
        assertEquals(0, meters.find("testum_deployments").gauges().size());
    }
}

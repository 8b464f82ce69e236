package io.testum.cluster;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How replicas agree on one leader. */
@ConfigMapping(prefix = "testum")
public interface ClusterConfig {

    /**
     * {@code auto} (Kubernetes inside a pod, else PostgreSQL), {@code kubernetes} (a Lease),
     * {@code postgres} (an advisory lock) or {@code none} (this replica always leads).
     */
    @WithDefault("auto")
    String leaderElection();

    /** How long a Kubernetes Lease holds without renewal. */
    @WithDefault("15s")
    Duration leaderLeaseDuration();
}

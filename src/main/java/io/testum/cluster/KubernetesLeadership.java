package io.testum.cluster;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;

/** Leadership through a Kubernetes Lease, with fabric8's leader elector; the identity is the pod name. */
public final class KubernetesLeadership implements Leadership, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KubernetesLeadership.class);
    public static final String LEASE = "testum-leader";

    private final String identity;
    private final CompletableFuture<?> running;
    private volatile boolean leader;
    private volatile String current;

    public KubernetesLeadership(KubernetesClient client, String namespace, String identity, Duration leaseDuration) {
        this.identity = identity;
        LeaderElector elector = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName("testum")
                .withLock(new LeaseLock(namespace, LEASE, identity))
                .withLeaseDuration(leaseDuration)
                .withRenewDeadline(leaseDuration.multipliedBy(2).dividedBy(3))
                .withRetryPeriod(leaseDuration.dividedBy(5))
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> {
                            leader = true;
                            LOG.infof("%s leads (Lease %s/%s)", identity, namespace, LEASE);
                        },
                        () -> {
                            leader = false;
                            LOG.warnf("%s no longer leads", identity);
                        },
                        newLeader -> current = newLeader))
                .build()).build();
        this.running = elector.start();
    }

    @Override
    public boolean isLeader() {
        return leader;
    }

    @Override
    public String mode() {
        return "kubernetes";
    }

    @Override
    public String identity() {
        return identity;
    }

    @Override
    public Optional<String> leader() {
        return Optional.ofNullable(current);
    }

    @Override
    public void close() {
        running.cancel(true);
        leader = false;
    }
}

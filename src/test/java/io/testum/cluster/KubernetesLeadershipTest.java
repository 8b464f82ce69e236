package io.testum.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.testum.testing.PostgresResource;

/** Two replicas electing through a Lease on the Kubernetes mock server. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@WithTestResource(PostgresResource.class)
class KubernetesLeadershipTest {

    @Inject
    KubernetesClient client;

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void oneReplicaHoldsTheLeaseAndTheOtherTakesOverWhenItLeaves() throws Exception {
        KubernetesLeadership a = new KubernetesLeadership(client, "testum", "pod-a", Duration.ofSeconds(3));
        await(a::isLeader, "pod-a leads");
        try (KubernetesLeadership b = new KubernetesLeadership(client, "testum", "pod-b", Duration.ofSeconds(3))) {
            Thread.sleep(1500);
            assertFalse(b.isLeader(), "only one leads");
            Lease lease = client.leases().inNamespace("testum").withName(KubernetesLeadership.LEASE).get();
            assertEquals("pod-a", lease.getSpec().getHolderIdentity());
            a.close();
            await(b::isLeader, "pod-b takes over");
            await(() -> "pod-b".equals(client.leases().inNamespace("testum").withName(KubernetesLeadership.LEASE).get()
                    .getSpec().getHolderIdentity()), "the Lease names pod-b");
        }
    }
}

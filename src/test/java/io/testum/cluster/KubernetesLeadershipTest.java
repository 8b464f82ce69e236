package io.testum.cluster;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.Optional;

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

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    KubernetesClient client;

    @Test
    void oneReplicaHoldsTheLeaseAndTheOtherTakesOverWhenItLeaves() {
        KubernetesLeadership a = new KubernetesLeadership(client, "testum", "pod-a", Duration.ofSeconds(3));
        await("pod-a leads").atMost(WAIT).until(a::isLeader);
        try (KubernetesLeadership b = new KubernetesLeadership(client, "testum", "pod-b", Duration.ofSeconds(3))) {
            await("pod-b sees that pod-a leads").atMost(WAIT).until(b::leader, equalTo(Optional.of("pod-a")));
            assertFalse(b.isLeader(), "only one leads");
            Lease lease = client.leases().inNamespace("testum").withName(KubernetesLeadership.LEASE).get();
            assertEquals("pod-a", lease.getSpec().getHolderIdentity());
            a.close();
            await("pod-b takes over").atMost(WAIT).until(b::isLeader);
            await("the Lease names pod-b").atMost(WAIT).until(() -> client.leases().inNamespace("testum")
                    .withName(KubernetesLeadership.LEASE).get().getSpec().getHolderIdentity(), equalTo("pod-b"));
        }
    }
}

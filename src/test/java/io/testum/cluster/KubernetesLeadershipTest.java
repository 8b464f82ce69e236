package io.testum.cluster;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.testum.testing.PostgresResource;

/** Replicas electing through a Lease on the Kubernetes mock API server, with testum's own Lease client. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@WithTestResource(PostgresResource.class)
class KubernetesLeadershipTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration LEASE = Duration.ofSeconds(3);

    @Inject
    KubernetesApi api;

    @KubernetesTestServer
    KubernetesServer server;

    private KubernetesClient client;

    @BeforeEach
    void noLease() {
        client = server.getClient();
        client.leases().inNamespace(api.namespace()).withName(KubernetesLeadership.LEASE).delete();
    }

    private Lease lease() {
        return client.leases().inNamespace(api.namespace()).withName(KubernetesLeadership.LEASE).get();
    }

    @Test
    void oneReplicaHoldsTheLeaseAndTheOtherTakesOverWhenItLeavesWithoutWaitingOutTheLease() {
        // a long Lease: pod-b can take over within half of it only because pod-a released it
        Duration lease = Duration.ofSeconds(30);
        KubernetesLeadership a = new KubernetesLeadership(api, "pod-a", lease);
        await("pod-a leads").atMost(WAIT).until(a::isLeader);
        try (KubernetesLeadership b = new KubernetesLeadership(api, "pod-b", lease)) {
            await("pod-b sees that pod-a leads").atMost(WAIT).until(b::leader, equalTo(Optional.of("pod-a")));
            assertFalse(b.isLeader(), "only one leads");
            assertEquals("pod-a", lease().getSpec().getHolderIdentity());
            a.close();
            assertNull(lease().getSpec().getHolderIdentity(), "pod-a released the Lease as it left");
            await("pod-b takes over").atMost(lease.dividedBy(2)).until(b::isLeader);
            await("the Lease names pod-b").atMost(WAIT).until(() -> lease().getSpec().getHolderIdentity(), equalTo("pod-b"));
            assertEquals(1, lease().getSpec().getLeaseTransitions());
        }
    }

    @Test
    void aLeaderThatSeesAnotherHolderStopsLeadingAndALeaseNobodyRenewsIsTakenOverAfterItsDuration() {
        try (KubernetesLeadership a = new KubernetesLeadership(api, "pod-a", LEASE)) {
            await("pod-a leads").atMost(WAIT).until(a::isLeader);
            // pod-x took the Lease (a partition healed, say) and then died without releasing it
            Lease taken = lease();
            taken.getSpec().setHolderIdentity("pod-x");
            taken.getSpec().setRenewTime(ZonedDateTime.now().plusYears(1));
            client.leases().inNamespace(api.namespace()).resource(taken).update();

            await("pod-a stops leading").atMost(WAIT).until(() -> !a.isLeader());
            assertEquals(Optional.of("pod-x"), a.leader());
            long since = System.nanoTime();
            await("pod-a takes the abandoned Lease over").atMost(WAIT).until(a::isLeader);
            long waited = Duration.ofNanos(System.nanoTime() - since).toMillis();
            assertEquals("pod-a", lease().getSpec().getHolderIdentity());
            // not before the Lease went a whole duration unchanged, measured on pod-a's own clock (the
            // renewTime pod-x wrote is a year ahead: a replica trusting it would never take over)
            assertTrue(waited >= LEASE.toMillis() - 1000, "took over a Lease renewed " + waited + " ms ago");
        }
    }
}

package io.testum.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.testum.cluster.KubernetesLeadership;
import io.testum.testing.Auth;
import io.testum.testing.PostgresResource;

/**
 * The packaged service (the jar, or the native executable) electing itself through a Lease on the
 * Kubernetes mock API server: what testum's own Kubernetes client does in the executable.
 */
@QuarkusIntegrationTest
@WithTestResource(PostgresResource.class)
@WithTestResource(PackagedLeaseIT.Settings.class)
@WithKubernetesTestServer(crud = true)
class PackagedLeaseIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    public static class Settings implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of("testum.master-key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
                    "testum.admin.password", PackagedServiceIT.ADMIN_PASSWORD,
                    "testum.data-dir", Path.of("target", "it-data-" + System.nanoTime()).toAbsolutePath().toString(),
                    "testum.leader-election", "kubernetes",
                    "testum.leader-lease-duration", "3s");
        }

        @Override
        public void stop() {
        }
    }

    @KubernetesTestServer
    KubernetesServer kubernetes;

    private Lease lease() {
        return kubernetes.getClient().leases().inNamespace(kubernetes.getClient().getNamespace())
                .withName(KubernetesLeadership.LEASE).get();
    }

    @Test
    void takesTheLeaseInItsOwnNameAndKeepsRenewingIt() {
        Auth.as(Auth.login("admin", PackagedServiceIT.ADMIN_PASSWORD));
        await("the service leads").atMost(WAIT).until(() -> Boolean.TRUE.equals(
                given().get("/api/health").then().statusCode(200).extract().path("leader.is_leader")));
        String identity = given().get("/api/health").then().extract().path("leader.identity");
        assertEquals("kubernetes", given().get("/api/health").then().extract().path("leader.mode"));

        Lease held = lease();
        assertEquals(identity, held.getSpec().getHolderIdentity());
        assertEquals(3, held.getSpec().getLeaseDurationSeconds());
        ZonedDateTime renewed = held.getSpec().getRenewTime();
        await("the Lease is renewed").atMost(WAIT).until(() -> lease().getSpec().getRenewTime().isAfter(renewed));
        assertEquals(identity, lease().getSpec().getHolderIdentity());
        assertTrue(Boolean.TRUE.equals(given().get("/api/health").then().extract().path("leader.is_leader")));
    }
}

package io.testum.cluster;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.testum.testing.Auth;
import io.testum.testing.KeyGen;
import io.testum.testing.PostgresResource;
import io.testum.testing.SshFleet;
import io.testum.testing.TestDatabase;

/** Credentials whose secret lives in a Kubernetes Secret ({@code secret_ref}), read from the mock API server. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@WithTestResource(PostgresResource.class)
class KubernetesSecretsTest {

    private static SshFleet fleet;

    @Inject
    KubernetesClient client;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startHosts() {
        fleet = SshFleet.start(1);
    }

    @AfterAll
    static void stopHosts() {
        fleet.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        TestDatabase.reset();
        Auth.asAdmin();
        client.secrets().inNamespace(client.getNamespace()).delete();
    }

    private static void credentialFromSecret(String name, String secret) throws Exception {
        try (var c = TestDatabase.connect(); var s = c.prepareStatement("INSERT INTO credentials (name, secret_ref) VALUES (?, ?)")) {
            s.setString(1, name);
            s.setString(2, secret);
            s.executeUpdate();
        }
        SshFleet.Host host = fleet.host(0);
        post("/api/platforms", Map.of("name", "web-01", "host", host.address(), "port", host.port(), "username", host.user(),
                "auth_method", "key", "credential", name)).statusCode(201);
    }

    @Test
    void logsInWithTheSshPrivateKeyOfTheNamedSecret() throws Exception {
        Path key = KeyGen.generate(tmp, "ed25519", 0, null, null, "from-kubernetes");
        fleet.host(0).writeAuthorizedKeys(KeyGen.publicLine(key) + "\n");
        client.secrets().inNamespace(client.getNamespace()).resource(new SecretBuilder().withNewMetadata()
                .withName("testum-ssh-credentials").endMetadata().withType("kubernetes.io/ssh-auth")
                .addToStringData("ssh-privatekey", Files.readString(key)).build()).create();
        credentialFromSecret("k8s", "testum-ssh-credentials");

        given().post("/api/platforms/web-01/test-ssh").then().statusCode(200)
                .body("authenticated", equalTo(true)).body("error", equalTo(null));
    }

    @Test
    void saysWhichSecretIsMissing() throws Exception {
        credentialFromSecret("k8s", "nowhere");

        given().post("/api/platforms/web-01/test-ssh").then().statusCode(200)
                .body("authenticated", equalTo(false))
                .body("error", containsString("Kubernetes Secret 'nowhere', which does not exist"));
    }
}

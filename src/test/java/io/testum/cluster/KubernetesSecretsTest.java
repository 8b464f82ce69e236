package io.testum.cluster;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.testum.testing.Auth;
import io.testum.testing.KeyGen;
import io.testum.testing.PostgresResource;
import io.testum.testing.SshFleet;
import io.testum.testing.TestDatabase;
import io.testum.testing.WithSshFleet;

/** Credentials whose secret lives in a Kubernetes Secret ({@code secret_ref}), read from the mock API server. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@WithTestResource(PostgresResource.class)
@WithSshFleet
class KubernetesSecretsTest {

    private SshFleet fleet;

    @KubernetesTestServer
    KubernetesServer server;

    private KubernetesClient client;

    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() throws Exception {
        TestDatabase.reset();
        Auth.asAdmin();
        client = server.getClient();
        client.secrets().inNamespace(client.getNamespace()).delete();
    }

    private void credentialFromSecret(String name, String secret) throws Exception {
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
    void readsTheKeyFromTheBase64DataOfTheSecretAsTheApiServerStoresIt() throws Exception {
        Path key = KeyGen.generate(tmp, "ed25519", 0, null, null, "from-kubernetes-data");
        fleet.host(0).writeAuthorizedKeys(KeyGen.publicLine(key) + "\n");
        client.secrets().inNamespace(client.getNamespace()).resource(new SecretBuilder().withNewMetadata()
                .withName("testum-data-credentials").endMetadata().withType("kubernetes.io/ssh-auth")
                .addToData("ssh-privatekey", java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(key))).build())
                .create();
        credentialFromSecret("k8s", "testum-data-credentials");

        given().post("/api/platforms/web-01/test-ssh").then().statusCode(200)
                .body("authenticated", equalTo(true)).body("error", equalTo(null));
    }

    @Test
    void keepsTheKeyOfTheSecretInAnExclusiveBlockAndConverges() throws Exception {
        Path key = KeyGen.generate(tmp, "ed25519", 0, null, null, "from-kubernetes");
        SshFleet.Host host = fleet.host(0);
        host.writeAuthorizedKeys(KeyGen.publicLine(key) + "\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIStray stray@somewhere\n");
        // a Secret of its own: testum keeps what it read of another for a while
        client.secrets().inNamespace(client.getNamespace()).resource(new SecretBuilder().withNewMetadata()
                .withName("testum-exclusive-credentials").endMetadata().withType("kubernetes.io/ssh-auth")
                .addToStringData("ssh-privatekey", Files.readString(key)).build()).create();
        credentialFromSecret("k8s", "testum-exclusive-credentials");
        io.testum.testing.Fixtures.put("/api/platforms/web-01", Map.of("name", "web-01", "host", host.address(),
                "port", host.port(), "username", host.user(), "auth_method", "key", "credential", "k8s",
                "authorized_keys_mode", "exclusive")).statusCode(200);
        Path alice = KeyGen.generate(tmp, "ed25519", 0, null, null, "alice@laptop");
        post("/api/keys", Map.of("name", "alice", "public_key", KeyGen.publicLine(alice))).statusCode(201);
        post("/api/access", Map.of("name", "admins", "keys", List.of("alice"), "platforms", List.of("web-01"))).statusCode(201);

        given().post("/api/platforms/web-01/deploy-keys").then().statusCode(200)
                .body("deployments[0].error", equalTo(null))
                .body("deployments[0].status", equalTo("in_sync"))
                .body("deployments[0].keys", equalTo(List.of("alice", "testum:k8s")));
        String file = host.authorizedKeysText();
        assertTrue(file.contains(KeyGen.publicLine(alice)), file);
        assertTrue(file.contains(KeyGen.publicLine(key).split(" ")[1]), "testum's key from the Secret is kept: " + file);
        assertFalse(file.contains("stray"), file);
        var modified = Files.getLastModifiedTime(host.authorizedKeys());
        given().post("/api/platforms/web-01/deploy-keys").then().statusCode(200)
                .body("deployments[0].status", equalTo("in_sync"));
        assertEquals(modified, Files.getLastModifiedTime(host.authorizedKeys()), "the next deployment has nothing to do");
        given().post("/api/platforms/web-01/test-ssh").then().body("authenticated", equalTo(true));
    }

    @Test
    void theKeyOfTheSecretFoundOutsideTheBlockIsTestumsLoginKeyNotAnUnknownOneAndNoRemovalWouldTakeIt() throws Exception {
        Path key = KeyGen.generate(tmp, "ed25519", 0, null, null, "from-kubernetes");
        SshFleet.Host host = fleet.host(0);
        host.writeAuthorizedKeys(KeyGen.publicLine(key) + "\n");
        client.secrets().inNamespace(client.getNamespace()).resource(new SecretBuilder().withNewMetadata()
                .withName("testum-merge-credentials").endMetadata().withType("kubernetes.io/ssh-auth")
                .addToStringData("ssh-privatekey", Files.readString(key)).build()).create();
        credentialFromSecret("k8s", "testum-merge-credentials");
        Path alice = KeyGen.generate(tmp, "ed25519", 0, null, null, "alice@laptop");
        post("/api/keys", Map.of("name", "alice", "public_key", KeyGen.publicLine(alice))).statusCode(201);
        post("/api/access", Map.of("name", "admins", "keys", List.of("alice"), "platforms", List.of("web-01"))).statusCode(201);
        given().post("/api/platforms/web-01/deploy-keys").then().statusCode(200)
                .body("deployments[0].status", equalTo("in_sync"));

        given().get("/api/platforms/web-01/unmanaged-keys").then().statusCode(200)
                .body("total", equalTo(1))
                .body("items[0].comment", equalTo("from-kubernetes"))
                .body("items[0].flags", org.hamcrest.Matchers.hasItem("testum_login"))
                .body("items[0].flags", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("unknown")));
        given().get("/api/platforms/web-01/unmanaged-keys/removal").then().statusCode(200)
                .body("keys", org.hamcrest.Matchers.empty());
    }

    @Test
    void saysWhichSecretIsMissing() throws Exception {
        credentialFromSecret("k8s", "nowhere");

        given().post("/api/platforms/web-01/test-ssh").then().statusCode(200)
                .body("authenticated", equalTo(false))
                .body("error", containsString("Kubernetes Secret 'nowhere', which does not exist"));
    }
}

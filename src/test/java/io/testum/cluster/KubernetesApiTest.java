package io.testum.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;

/** testum's Kubernetes API client against a real HTTP(S) server on loopback standing in for the API server. */
class KubernetesApiTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path tmp;

    private Vertx vertx;
    private HttpServer server;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** An API server that knows the Secret {@code known} and refuses {@code forbidden}. */
    private int serve(HttpServerOptions options) throws Exception {
        server = vertx.createHttpServer(options).requestHandler(request -> {
            authorizations.add(String.valueOf(request.getHeader("Authorization")));
            paths.add(request.path());
            if (request.path().endsWith("/secrets/known")) {
                request.response().putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("kind", "Secret").put("data", new JsonObject().put("password", "c2VjcmV0")).encode());
            } else if (request.path().endsWith("/secrets/forbidden")) {
                request.response().setStatusCode(403).end(new JsonObject().put("kind", "Status")
                        .put("message", "secrets \"forbidden\" is forbidden: User \"system:serviceaccount:ops:testum\" cannot get").encode());
            } else {
                request.response().setStatusCode(404).end(new JsonObject().put("kind", "Status").put("message", "not found").encode());
            }
        });
        return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    private KubernetesApi api(String master, Optional<String> token, Path tokenFile, Path caFile) {
        return new KubernetesApi(vertx, Optional.of(master), Optional.of("ops"), token, tokenFile.toString(), caFile.toString());
    }

    @Test
    void sendsTheServiceAccountTokenReadAtEveryCallSoARotatedTokenIsUsed() throws Exception {
        int port = serve(new HttpServerOptions());
        Path token = Files.writeString(tmp.resolve("token"), "first-token\n");
        KubernetesApi api = api("http://127.0.0.1:" + port, Optional.empty(), token, tmp.resolve("no-ca.crt"));

        assertEquals("c2VjcmV0", api.get(api.path("/api/v1", "secrets", "known"), WAIT).orElseThrow()
                .getJsonObject("data").getString("password"));
        Files.writeString(token, "second-token\n");
        api.get(api.path("/api/v1", "secrets", "known"), WAIT);

        assertEquals(List.of("Bearer first-token", "Bearer second-token"), authorizations);
        assertEquals("/api/v1/namespaces/ops/secrets/known", paths.get(0));
    }

    @Test
    void answersEveryOneOfManyCallsInARowWithinItsWait() throws Exception {
        // a connection kept alive between calls once left every other call unanswered until its wait ran out
        int port = serve(new HttpServerOptions());
        KubernetesApi api = api("http://127.0.0.1:" + port, Optional.empty(), tmp.resolve("none"), tmp.resolve("none"));

        for (int i = 0; i < 20; i++) {
            assertTrue(api.get(api.path("/api/v1", "secrets", "known"), WAIT).isPresent(), "call " + i);
        }
        assertEquals(20, paths.size());
    }

    @Test
    void refusesToSendTheTokenInClearTextToAnApiServerBeyondLoopback() {
        KubernetesApi api = api("http://192.0.2.10:6443", Optional.of("a-token"), tmp.resolve("none"), tmp.resolve("none"));

        KubernetesApi.ApiException refused = assertThrows(KubernetesApi.ApiException.class,
                () -> api.get(api.path("/api/v1", "secrets", "known"), WAIT));
        assertTrue(refused.getMessage().contains("refusing to send the service account token in clear text"), refused.getMessage());
        assertTrue(!refused.getMessage().contains("a-token"), "the token is never in a message");
    }

    @Test
    void aNameThatIsNotAKubernetesObjectNameNeverBecomesAPath() {
        KubernetesApi api = api("http://127.0.0.1:1", Optional.empty(), tmp.resolve("none"), tmp.resolve("none"));

        for (String name : List.of("../../kube-system/secrets/admin", "a/b", "known?watch=true", "Known", "", "a%2Fb")) {
            assertThrows(IllegalArgumentException.class, () -> api.path("/api/v1", "secrets", name), name);
        }
    }

    @Test
    void trustsTheServiceAccountsCertificateAuthorityAndRefusesAServerItDidNotSign() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
        int port = serve(new HttpServerOptions().setSsl(true).setKeyCertOptions(certificate.keyCertOptions()));
        Path token = Files.writeString(tmp.resolve("token"), "tls-token");

        KubernetesApi trusting = api("https://localhost:" + port, Optional.empty(), token, Path.of(certificate.certificatePath()));
        assertTrue(trusting.get(trusting.path("/api/v1", "secrets", "known"), WAIT).isPresent());

        Path otherCa = Path.of(SelfSignedCertificate.create("localhost").certificatePath());
        KubernetesApi other = api("https://localhost:" + port, Optional.empty(), token, otherCa);
        KubernetesApi.ApiException refused = assertThrows(KubernetesApi.ApiException.class,
                () -> other.get(other.path("/api/v1", "secrets", "known"), WAIT));
        assertEquals(0, refused.status(), refused.getMessage());
        assertEquals(List.of("Bearer tls-token"), authorizations, "the token went only to the server the CA vouches for");
    }

    @Test
    void aMissingObjectIsEmptyAndARefusalCarriesTheApiServersMessage() throws Exception {
        int port = serve(new HttpServerOptions());
        KubernetesApi api = api("http://127.0.0.1:" + port, Optional.empty(), tmp.resolve("none"), tmp.resolve("none"));

        assertTrue(api.get(api.path("/api/v1", "secrets", "missing"), WAIT).isEmpty());
        KubernetesApi.ApiException refused = assertThrows(KubernetesApi.ApiException.class,
                () -> api.get(api.path("/api/v1", "secrets", "forbidden"), WAIT));
        assertEquals(403, refused.status());
        assertTrue(refused.getMessage().contains("cannot get"), refused.getMessage());
        assertEquals("null", authorizations.get(0), "no token file, no Authorization header");
    }
}

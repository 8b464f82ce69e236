package io.testum.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.testum.testing.Auth;
import io.testum.testing.Fixtures;
import io.testum.testing.PostgresResource;
import io.testum.testing.TestDatabase;

/**
 * A page on another site (or on a sibling subdomain, which SameSite cookies do not tell apart)
 * cannot act with a signed-in user's session cookie: not through a form the browser sends on its
 * own (text/plain, multipart, url-encoded, or no body), not through a WebSocket, and not with a
 * CSRF token it planted itself. API clients with a bearer token and webhooks are unaffected.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class CrossSiteTest {

    private static final String ATTACKER = "https://attacker.example";
    private static final String BACKUP = "version: 1\nssh_keys:\n  - name: planted\n    public_key: \""
            + io.testum.keys.TestKeys.ED25519 + "\"\n";

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        Auth.anonymous();
    }

    private String origin() {
        return base.getProtocol() + "://" + base.getHost() + ":" + base.getPort();
    }

    /** What the victim's browser sends to testum for a page of the attacker's: the session cookie, the page's origin. */
    private static RequestSpecification fromAttackerPage(String session) {
        return given().redirects().follow(false).cookie("testum_access", session).header("Origin", ATTACKER)
                .header("Sec-Fetch-Site", "cross-site");
    }

    @Test
    void aFormOnAnotherSiteCannotImportABackupWithTheSessionCookie() {
        String admin = Auth.adminToken();
        fromAttackerPage(admin).contentType("text/plain").body(BACKUP.getBytes(StandardCharsets.UTF_8))
                .post("/api/backup/import").then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("Origin"));
        fromAttackerPage(admin).multiPart("file", "backup.yaml", BACKUP.getBytes(StandardCharsets.UTF_8), "text/plain")
                .post("/api/backup/import").then().statusCode(403);
        // A sibling subdomain is the same site: SameSite=Strict cookies go along, only the origin differs.
        given().cookie("testum_access", admin).header("Origin", "https://blog." + base.getHost())
                .header("Sec-Fetch-Site", "same-site").contentType("text/plain").body(BACKUP)
                .post("/api/backup/import").then().statusCode(403);
        // An old browser that sends the Origin but no Sec-Fetch-Site.
        given().cookie("testum_access", admin).header("Origin", ATTACKER).contentType("text/plain").body(BACKUP)
                .post("/api/backup/import").then().statusCode(403);
        // No Origin, no Sec-Fetch-Site, no custom header: nothing shows that testum's own page sent it.
        given().cookie("testum_access", admin).contentType("text/plain").body(BACKUP)
                .post("/api/backup/import").then().statusCode(403);
        given().header("Authorization", "Bearer " + admin).get("/api/keys/planted").then().statusCode(404);
    }

    @Test
    void bodilessPostsFromAnotherSiteAreRefusedBeforeTheyRun() {
        String admin = Auth.adminToken();
        Auth.asAdmin();
        Fixtures.credential("deployer");
        Fixtures.post("/api/platforms", Map.of("name", "target-01", "host", "127.0.0.1", "port", 1, "username", "deploy",
                "auth_method", "key", "credential", "deployer")).statusCode(201);
        Auth.anonymous();
        long before = Long.parseLong(TestDatabase.rows("SELECT count(*) FROM audit_log").get(0).get(0));
        for (String path : List.of("/api/platforms/target-01/deploy-keys", "/api/platforms/target-01/test-ssh",
                "/api/gitops/sources/default/sync", "/api/runs/00000000-0000-0000-0000-000000000000/cancel")) {
            fromAttackerPage(admin).post(path).then().statusCode(403);
            fromAttackerPage(admin).contentType("application/x-www-form-urlencoded").body("").post(path).then()
                    .statusCode(403);
        }
        assertThat(TestDatabase.rows("SELECT action FROM audit_log WHERE id > ?", before)).isEmpty();
    }

    @Test
    void aWebSocketFromAnotherSiteIsNotOpened() {
        String admin = Auth.adminToken();
        URI uri = URI.create(base.toString().replaceFirst("^http", "ws")).resolve("/ws/runs/00000000-0000-0000-0000-000000000000");
        CompletableFuture<WebSocket> socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Cookie", "testum_access=" + admin).header("Origin", ATTACKER)
                .buildAsync(uri, new WebSocket.Listener() { });
        assertThatThrownBy(() -> socket.get(10, TimeUnit.SECONDS)).rootCause().hasMessageContaining("403");
    }

    @Test
    void testumsOwnPagesBearerClientsAndWebhooksStillGetThrough() throws Exception {
        String admin = Auth.adminToken();
        given().cookie("testum_access", admin).header("Origin", origin()).contentType("application/json")
                .body(Map.of("name", "own-page", "type", "ed25519")).post("/api/credentials/generate").then().statusCode(201);
        given().cookie("testum_access", admin).header("Sec-Fetch-Site", "same-origin").contentType("application/json")
                .body(Map.of("name", "own-fetch", "type", "ed25519")).post("/api/credentials/generate").then().statusCode(201);
        given().cookie("testum_access", admin).header("X-Requested-With", "testumctl").contentType("application/json")
                .body(Map.of("name", "own-header", "type", "ed25519")).post("/api/credentials/generate").then()
                .statusCode(201);
        // A link the user follows, or an address typed in: reads with the cookie stay possible.
        given().cookie("testum_access", admin).header("Sec-Fetch-Site", "none").get("/api/users/me").then().statusCode(200);
        given().cookie("testum_access", admin).get("/api/users/me").then().statusCode(200);
        // Reads from another site are refused too (a GET can cost SSH work, e.g. stats?refresh=true).
        fromAttackerPage(admin).get("/api/users/me").then().statusCode(403);
        given().header("Authorization", "Bearer " + admin).header("Origin", ATTACKER).header("Sec-Fetch-Site", "cross-site")
                .contentType("application/json").body(Map.of("name", "bearer", "type", "ed25519"))
                .post("/api/credentials/generate").then().statusCode(201);
        // Webhooks prove themselves with a signature, wherever they come from.
        fromAttackerPage(admin).contentType("application/json").body("{}").post("/api/gitops/webhook/default").then()
                .statusCode(not(equalTo(403)));
        URI uri = URI.create(base.toString().replaceFirst("^http", "ws")).resolve("/ws/runs/00000000-0000-0000-0000-000000000000");
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        HttpClient.newHttpClient().newWebSocketBuilder().header("Cookie", "testum_access=" + admin).header("Origin", origin())
                .buildAsync(uri, new WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onClose(WebSocket s, int status, String reason) {
                        closed.complete(status);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(4404);
    }

    /**
     * A sibling subdomain can set a cookie for the parent domain, so it can choose the CSRF cookie
     * and send the same value in its form (double submit). The token must be the session's own.
     */
    @Test
    void aCsrfTokenThatTheAttackerPlantedDoesNotPassAForm() {
        String admin = Auth.adminToken();
        String planted = "P".repeat(43);
        given().redirects().follow(false).cookie("testum_access", admin).cookie("testum_csrf", planted)
                .formParam("csrf", planted).formParam("name", "planted").formParam("public_key", io.testum.keys.TestKeys.ED25519)
                .post("/keys").then().statusCode(400);
        String other = Auth.login(Auth.ADMIN, Auth.ADMIN_PASSWORD);
        String othersToken = Auth.csrfOf(other);
        given().redirects().follow(false).cookie("testum_access", admin).cookie("testum_csrf", othersToken)
                .formParam("csrf", othersToken).formParam("name", "planted").formParam("public_key", io.testum.keys.TestKeys.ED25519)
                .post("/keys").then().statusCode(400);
        given().header("Authorization", "Bearer " + admin).get("/api/keys/planted").then().statusCode(404);

        String own = Auth.csrfOf(admin);
        given().redirects().follow(false).cookie("testum_access", admin).formParam("csrf", own).formParam("name", "own")
                .formParam("public_key", io.testum.keys.TestKeys.ED25519).post("/keys").then().statusCode(303);
        given().header("Authorization", "Bearer " + admin).get("/api/keys/own").then().statusCode(200);
    }
}

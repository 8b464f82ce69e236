package io.testum.auth;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.testum.testing.Auth;
import io.testum.testing.PostgresResource;

/** The log of the test profile (a file, see application.properties) holds no password and no token. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class LogSecretsTest {

    private static final Path LOG = Path.of("target", "testum-test.log");

    @Test
    void logsNoPasswordAndNoToken() throws Exception {
        Auth.asAdmin();
        String password = "log-secret-password-1";
        given().contentType(ContentType.JSON).body(Map.of("username", "log-user", "password", password, "role", "admin"))
                .post("/api/users");
        Auth.anonymous();
        given().contentType(ContentType.JSON).body(Map.of("username", "log-user", "password", "wrong-" + password))
                .post("/api/auth/login").then().statusCode(401);
        Response session = given().contentType(ContentType.JSON).body(Map.of("username", "log-user", "password", password))
                .post("/api/auth/login");
        String access = session.path("access_token");
        String refresh = session.path("refresh_token");
        String refreshed = given().contentType(ContentType.JSON).body(Map.of("refresh_token", refresh))
                .post("/api/auth/refresh").path("refresh_token");
        Auth.as(access);
        String apiToken = given().contentType(ContentType.JSON).body(Map.of("name", "log", "role", "viewer"))
                .post("/api/tokens").path("token");
        given().contentType(ContentType.JSON).body(Map.of("name", "log-pw", "password", "credential-" + password))
                .post("/api/credentials/import");
        Auth.as(access.substring(0, access.length() - 4) + "AAAA");
        given().get("/api/users/me").then().statusCode(401);
        Auth.anonymous();
        given().contentType(ContentType.JSON).body(Map.of("refresh_token", refresh)).post("/api/auth/refresh")
                .then().statusCode(401);

        assertTrue(Files.exists(LOG), "the test profile logs to " + LOG);
        String log = Files.readString(LOG, StandardCharsets.UTF_8);
        assertTrue(log.contains("refresh token of user 'log-user' came back"), "the reuse is logged, without the token");
        for (String secret : List.of(password, Auth.ADMIN_PASSWORD, access, refresh, refreshed, apiToken,
                access.split("\\.")[2])) {
            assertFalse(log.contains(secret), "the log holds a secret: " + secret.substring(0, 6) + "...");
        }
    }
}

package io.testum.auth;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.testum.testing.Auth;
import io.testum.testing.PostgresResource;

/** Access tokens of five seconds (room for a loaded machine between login and first use), and requests that arrive through a TLS-terminating proxy. */
@QuarkusTest
@TestProfile(ShortTokensTest.Profile.class)
@WithTestResource(PostgresResource.class)
class ShortTokensTest {

    public static final class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("testum.auth.access-token-lifetime", "15s",
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    // The test client plays the TLS-terminating proxy.
                    "quarkus.http.proxy.trusted-proxies", "127.0.0.1",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.enable-forwarded-host", "true");
        }
    }

    private static Response login() {
        Auth.anonymous();
        return given().contentType(ContentType.JSON)
                .body(Map.of("username", Auth.ADMIN, "password", Auth.ADMIN_PASSWORD)).post("/api/auth/login");
    }

    @Test
    void refusesAnAccessTokenOnceItExpired() {
        // The first login and call of a fresh, loaded JVM can take longer than the token lives.
        given().header("Authorization", "Bearer " + login().path("access_token")).get("/api/users/me");
        String token = login().path("access_token");
        given().header("Authorization", "Bearer " + token).get("/api/users/me").then().statusCode(200);
        // 15 s, long enough for the first call on a busy machine; then the same token is refused, within a minute
        await("the token expired").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> given().header("Authorization", "Bearer " + token).get("/api/users/me").statusCode() != 200);
        given().header("Authorization", "Bearer " + token).get("/api/users/me").then().statusCode(401)
                .body("detail", containsString("expired"));
    }

    @Test
    void marksTheCookiesSecureWhenTheRequestCameOverHttps() {
        Auth.anonymous();
        Response response = given().header("X-Forwarded-Proto", "https").contentType(ContentType.JSON)
                .body(Map.of("username", Auth.ADMIN, "password", Auth.ADMIN_PASSWORD)).post("/api/auth/login");
        response.then().statusCode(200);
        org.junit.jupiter.api.Assertions.assertTrue(response.getHeaders().getValues("Set-Cookie").stream()
                .allMatch(c -> c.contains("Secure") && c.contains("HttpOnly") && c.contains("SameSite=Strict")),
                response.getHeaders().getValues("Set-Cookie").toString());
    }
}

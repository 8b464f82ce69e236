package io.testum.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;
import io.testum.testing.Auth;
import io.testum.testing.PostgresResource;
import io.testum.testing.TestDatabase;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class AuthFlowTest {

    private static final String PASSWORD = "correct-horse-battery";

    @BeforeEach
    void anonymous() {
        TestDatabase.reset();
        Auth.anonymous();
    }

    @AfterEach
    void clearThrottle() {
        TestDatabase.reset();
    }

    private static String newUser(String role) {
        String name = "u-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", "Bearer " + Auth.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("username", name, "password", PASSWORD, "role", role)).post("/api/users")
                .then().statusCode(201);
        return name;
    }

    private static Response login(String username, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("username", username, "password", password))
                .post("/api/auth/login");
    }

    private static int me(String token) {
        return given().header("Authorization", "Bearer " + token).get("/api/users/me").statusCode();
    }

    private static Response refresh(String refreshToken) {
        return given().contentType(ContentType.JSON).body(Map.of("refresh_token", refreshToken)).post("/api/auth/refresh");
    }

    private static void admin(String method, String path, Object body) {
        var request = given().header("Authorization", "Bearer " + Auth.adminToken()).contentType(ContentType.JSON);
        if (body != null) {
            request.body(body);
        }
        request.request(method, path).then().statusCode(org.hamcrest.Matchers.lessThan(300));
    }

    @Test
    void logsInWithTokensAndAStrictHttpOnlyCookie() {
        String user = newUser("viewer");
        Response response = login(user, PASSWORD);
        response.then().statusCode(200)
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(900))
                .body("access_token", notNullValue())
                .body("refresh_token", startsWith("tsr_"));
        String cookie = response.getHeaders().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("testum_access=")).findFirst().orElseThrow();
        assertTrue(cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("SameSite=Strict"), cookie);
        assertTrue(!cookie.contains("Secure"), "plain HTTP: no Secure flag: " + cookie);

        given().cookie("testum_access", response.getCookie("testum_access")).get("/api/users/me").then().statusCode(200)
                .body("username", equalTo(user)).body("role", equalTo("viewer")).body("via", equalTo("session"));
        given().header("Authorization", "Bearer " + response.path("access_token")).get("/api/platforms").then()
                .statusCode(200);
    }

    @Test
    void answersTheSameForAWrongPasswordAndAnUnknownUser() {
        String user = newUser("viewer");
        String wrongPassword = login(user, "not-the-password").then().statusCode(401).extract().path("detail");
        String unknownUser = login("no-such-user", "not-the-password").then().statusCode(401).extract().path("detail");
        assertEquals(wrongPassword, unknownUser);
        admin("PUT", "/api/users/" + user, Map.of("enabled", false));
        assertEquals(wrongPassword, login(user, PASSWORD).then().statusCode(401).extract().path("detail"),
                "a disabled user gets the same answer");
    }

    @Test
    void refusesATamperedTokenAndOneSignedByAnotherKey() throws Exception {
        String token = login(newUser("viewer"), PASSWORD).path("access_token");
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String promoted = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.replace("\"viewer\"", "\"admin\"").getBytes(StandardCharsets.UTF_8));
        assertEquals(401, me(parts[0] + "." + promoted + "." + parts[2]));

        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String forged = Jwt.issuer("testum").subject(Auth.ADMIN).upn(Auth.ADMIN).groups(Set.of("admin"))
                .claim("sid", UUID.randomUUID().toString()).sign(generator.generateKeyPair().getPrivate());
        given().header("Authorization", "Bearer " + forged).get("/api/users/me").then().statusCode(401)
                .body("detail", containsString("invalid or expired"));
        assertEquals(401, me("not-a-jwt"));
        assertEquals(200, me(token));
    }

    @Test
    void rotatesRefreshTokensAndRevokesTheSessionWhenAUsedOneComesBack() {
        Response first = login(newUser("viewer"), PASSWORD);
        String refresh1 = first.path("refresh_token");
        Response second = refresh(refresh1);
        second.then().statusCode(200);
        String refresh2 = second.path("refresh_token");
        String access2 = second.path("access_token");
        assertNotEquals(refresh1, refresh2);
        assertEquals(200, me(access2));

        refresh(refresh1).then().statusCode(401).body("detail", containsString("already used"));
        refresh(refresh2).then().statusCode(401);
        assertEquals(401, me(access2), "the stolen session's access tokens stop too");
        assertEquals(401, me(first.path("access_token")));
    }

    @Test
    void logoutEndsTheSessionAndClearsTheCookies() {
        Response session = login(newUser("viewer"), PASSWORD);
        String access = session.path("access_token");
        Response logout = given().header("Authorization", "Bearer " + access).post("/api/auth/logout");
        logout.then().statusCode(204);
        assertTrue(logout.getHeaders().getValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("testum_access=;")
                && c.contains("Max-Age=0")), logout.getHeaders().getValues("Set-Cookie").toString());
        assertEquals(401, me(access));
        refresh(session.path("refresh_token")).then().statusCode(401);
    }

    @Test
    void disablingOrDeletingAUserEndsItsSessionsAndTokensAtOnce() {
        String user = newUser("admin");
        String access = login(user, PASSWORD).path("access_token");
        String apiToken = given().header("Authorization", "Bearer " + access).contentType(ContentType.JSON)
                .body(Map.of("name", "ci", "role", "viewer", "expires_in_days", 1)).post("/api/tokens")
                .then().statusCode(201).extract().path("token");
        assertEquals(200, me(apiToken));

        admin("PUT", "/api/users/" + user, Map.of("enabled", false));
        assertEquals(401, me(access));
        assertEquals(401, me(apiToken));

        admin("PUT", "/api/users/" + user, Map.of("enabled", true));
        assertEquals(401, me(apiToken), "re-enabling does not bring revoked tokens back");
        String again = login(user, PASSWORD).path("access_token");
        admin("DELETE", "/api/users/" + user, null);
        assertEquals(401, me(again));
    }

    @Test
    void aNewPasswordEndsTheSessionsButARoleChangeTakesEffectInPlace() {
        String user = newUser("viewer");
        String access = login(user, PASSWORD).path("access_token");
        admin("PUT", "/api/users/" + user, Map.of("role", "operator"));
        given().header("Authorization", "Bearer " + access).get("/api/users/me").then().body("role", equalTo("operator"));
        admin("PUT", "/api/users/" + user, Map.of("password", "another-long-password"));
        assertEquals(401, me(access));
        login(user, "another-long-password").then().statusCode(200);
    }

    @Test
    void keepsTheLastEnabledAdmin() {
        java.util.List<String> others = given().header("Authorization", "Bearer " + Auth.adminToken())
                .get("/api/users?size=1000").then().statusCode(200).extract()
                .path("items.findAll { it.role == 'admin' && it.enabled && it.username != 'admin' }.username");
        others.forEach(other -> admin("PUT", "/api/users/" + other, Map.of("role", "operator")));
        try {
            given().header("Authorization", "Bearer " + Auth.adminToken()).contentType(ContentType.JSON)
                    .body(Map.of("role", "operator")).put("/api/users/admin").then().statusCode(409)
                    .body("detail", containsString("last enabled admin"));
            given().header("Authorization", "Bearer " + Auth.adminToken()).contentType(ContentType.JSON)
                    .body(Map.of("enabled", false)).put("/api/users/admin").then().statusCode(409);
            given().header("Authorization", "Bearer " + Auth.adminToken()).delete("/api/users/admin").then().statusCode(409);
        } finally {
            others.forEach(other -> admin("PUT", "/api/users/" + other, Map.of("role", "admin")));
        }
    }

    @Test
    void wantsPasswordsOfTwelveCharactersAndValidUserFields() {
        given().header("Authorization", "Bearer " + Auth.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("username", "Bad Name", "password", "short", "role", "root")).post("/api/users")
                .then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.contains("username", "password", "role"))
                .body("errors[1].message", equalTo("must be at least 12 characters"));
    }

    @Test
    void storesPasswordsAsBcryptAndTokensOnlyAsHashes() {
        String user = newUser("viewer");
        Response session = login(user, PASSWORD);
        String hash = TestDatabase.rows("SELECT password_hash FROM users WHERE username = ?", user).get(0).get(0);
        assertTrue(hash.startsWith("$2"), hash);
        String dump = TestDatabase.rows("SELECT encode(token_hash, 'hex') FROM refresh_tokens").toString();
        assertTrue(!dump.contains(session.<String>path("refresh_token")));
        given().header("Authorization", "Bearer " + Auth.adminToken()).get("/api/users/" + user).then()
                .body(not(containsString("password")));
    }
}

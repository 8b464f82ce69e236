package io.testum.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.testum.testing.Auth;
import io.testum.testing.Fixtures;
import io.testum.testing.PostgresResource;
import io.testum.testing.TestDatabase;

/** The pages over plain HTTP: sessions, CSRF, roles and languages, without a browser. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class WebPagesTest {

    /** A CSRF token as the pages issue them: 32 random bytes, base64url. */
    static final String CSRF = "A".repeat(43);

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        Auth.anonymous();
    }

    private static RequestSpecification browser(String token) {
        RequestSpecification request = given().redirects().follow(false).cookie("testum_csrf", CSRF);
        return token == null ? request : request.cookie("testum_access", token);
    }

    @Test
    void sendsVisitorsWithoutASessionToTheLoginPageAndBack() {
        browser(null).queryParam("label", "env=prod").get("/platforms").then().statusCode(303)
                .header("Location", containsString("/login?next=%2Fplatforms%3Flabel%3Denv%253Dprod"));
        browser(null).get("/login").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("name=\"password\""));
    }

    @Test
    void logsInWithTheApiSessionCookiesAndOut() {
        Response login = browser(null).formParam("csrf", CSRF).formParam("username", Auth.ADMIN)
                .formParam("password", Auth.ADMIN_PASSWORD).formParam("next", "/platforms").post("/login");
        login.then().statusCode(303).header("Location", containsString("/platforms"));
        List<String> cookies = login.headers().getValues("Set-Cookie");
        assertThat(cookies).anySatisfy(c -> assertThat(c).startsWith("testum_access=").contains("Path=/")
                .contains("HttpOnly").contains("SameSite=Strict"));
        assertThat(cookies).anySatisfy(c -> assertThat(c).startsWith("testum_refresh=").contains("Path=/api/auth"));
        String token = login.cookie("testum_access");

        browser(token).get("/").then().statusCode(200).body(containsString(Auth.ADMIN));
        browser(token).formParam("csrf", Auth.csrfOf(token)).post("/logout").then().statusCode(303)
                .header("Location", containsString("/login"));
        browser(token).get("/").then().statusCode(303);
    }

    @Test
    void refusesAWrongPasswordOnTheLoginPage() {
        browser(null).formParam("csrf", CSRF).formParam("username", Auth.ADMIN).formParam("password", "wrong-password-1")
                .post("/login").then().statusCode(401).body(containsString("Invalid user name or password"));
    }

    @Test
    void refusesFormPostsWithoutTheSessionsCsrfToken() {
        String admin = Auth.adminToken();
        browser(admin).formParam("name", "web-01").post("/platforms").then().statusCode(400)
                .contentType(containsString("text/html"));
        browser(admin).formParam("csrf", "B".repeat(43)).formParam("name", "web-01").post("/platforms").then()
                .statusCode(400);
        browser(admin).formParam("csrf", CSRF).formParam("name", "web-01").post("/platforms").then()
                .statusCode(400);
    }

    /** The JSON API needs no CSRF token: a bearer token, or the cookie on a request from testum's own origin. */
    @Test
    void leavesTheJsonApiWithoutCsrfTokensWithBearerOrCookie() {
        String admin = Auth.adminToken();
        given().header("Authorization", "Bearer " + admin).contentType("application/json")
                .body(Map.of("name", "deployer")).post("/api/credentials/generate").then().statusCode(201);
        Map<String, Object> platform = Fixtures.platformBody("api-01");
        given().cookie("testum_access", admin).header("Sec-Fetch-Site", "same-origin").contentType("application/json")
                .body(platform).post("/api/platforms")
                .then().statusCode(201);
    }

    @Test
    void showsAViewerNoOperatorButtonsAndRefusesTheirForcedPosts() {
        Auth.asAdmin();
        Fixtures.credential("deployer");
        Fixtures.platform("web-01", Map.of("env", "prod"));
        Auth.anonymous();
        String viewer = Auth.tokenOf("web-viewer", "viewer");
        browser(viewer).get("/platforms/web-01").then().statusCode(200)
                .body(containsString("web-01"))
                .body(not(containsString("action=\"/platforms/web-01/run\"")))
                .body(not(containsString("action=\"/platforms/web-01/deploy-keys\"")));
        browser(viewer).formParam("csrf", Auth.csrfOf(viewer)).formParam("command", "id").post("/platforms/web-01/run").then()
                .statusCode(403).contentType(containsString("text/html"));
        browser(viewer).get("/users").then().statusCode(403);
        assertThat(TestDatabase.rows("SELECT actor, action, target, outcome, details->>'via' FROM audit_log "
                + "ORDER BY id DESC LIMIT 1")).containsExactly(List.of("web-viewer", "run.create", "web-01", "denied", "session"));
    }

    @Test
    void auditsPageChangesUnderTheApisActionNames() {
        String admin = Auth.adminToken();
        browser(admin).formParam("csrf", Auth.csrfOf(admin)).formParam("name", "deployer").formParam("type", "ed25519")
                .post("/credentials/generate").then().statusCode(303);
        browser(null).formParam("csrf", CSRF).formParam("name", "sneaky").post("/keys").then().statusCode(303)
                .header("Location", containsString("/login"));
        assertThat(TestDatabase.rows("SELECT actor, action, outcome FROM audit_log ORDER BY id DESC LIMIT 2")).containsExactly(
                List.of("anonymous", "key.create", "denied"), List.of("admin", "credential.generate", "success"));
    }

    @Test
    void speaksRussianWhenTheBrowserAsksForIt() {
        String admin = Auth.adminToken();
        browser(admin).header("Accept-Language", "ru-RU,ru;q=0.9,en;q=0.5").get("/").then().statusCode(200)
                .body(containsString("lang=\"ru\"")).body(containsString("Обзор парка"));
        browser(admin).header("Accept-Language", "ru").cookie("testum_lang", "en").get("/").then()
                .body(containsString("Fleet overview"));
    }
}

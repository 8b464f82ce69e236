package io.testum.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.testum.testing.Auth;
import io.testum.testing.PostgresResource;
import io.testum.testing.TestDatabase;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class ApiTokenTest {

    @BeforeEach
    void signIn() {
        TestDatabase.reset();
        Auth.asAdmin();
    }

    private static Map<String, Object> create(String role) {
        return given().contentType(ContentType.JSON).body(Map.of("name", "ci-" + role, "role", role, "expires_in_days", 30))
                .post("/api/tokens").then().statusCode(201)
                .body("token", startsWith("tsm_"))
                .body("role", equalTo(role))
                .body("expires_at", notNullValue())
                .extract().as(Map.class);
    }

    @Test
    void showsATokenOnceAndItWorksAsABearerTokenWithItsRole() {
        Map<String, Object> created = create("viewer");
        String token = (String) created.get("token");
        int id = (Integer) created.get("id");

        given().get("/api/tokens").then().statusCode(200)
                .body("items.find { it.id == " + id + " }", not(hasKey("token")))
                .body("items.find { it.id == " + id + " }.last_used_at", equalTo(null));

        Auth.as(token);
        given().get("/api/platforms").then().statusCode(200);
        given().get("/api/users/me").then().body("via", equalTo("api-token")).body("role", equalTo("viewer"));
        given().contentType(ContentType.JSON).body("{}").post("/api/platforms").then().statusCode(403);

        Auth.asAdmin();
        given().get("/api/tokens").then().body("items.find { it.id == " + id + " }.last_used_at", notNullValue());
        given().delete("/api/tokens/" + id).then().statusCode(204);
        given().delete("/api/tokens/" + id).then().statusCode(204);
        given().get("/api/tokens").then().body("items.find { it.id == " + id + " }.revoked", equalTo(true));
        given().delete("/api/tokens/999999").then().statusCode(404);

        Auth.as(token);
        given().get("/api/platforms").then().statusCode(401);
    }

    @Test
    void refusesAnUnknownTokenAndBadRequests() {
        Auth.as("tsm_" + "A".repeat(43));
        given().get("/api/platforms").then().statusCode(401);
        Auth.asAdmin();
        given().contentType(ContentType.JSON).body(Map.of("name", "x", "role", "root", "expires_in_days", 0))
                .post("/api/tokens").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.contains("role", "expires_in_days"));
    }

    @Test
    void aTokenNeverActsAboveItsOwnersCurrentRole() {
        String owner = "token-owner";
        given().contentType(ContentType.JSON).body(Map.of("username", owner, "password", Auth.PASSWORD, "role", "admin"))
                .post("/api/users").then().statusCode(201).body("role", equalTo("admin"));
        given().contentType(ContentType.JSON).body(Map.of("role", "admin", "enabled", true)).put("/api/users/" + owner).then()
                .statusCode(200).body("role", equalTo("admin")).body("enabled", equalTo(true));
        Auth.as(Auth.login(owner, Auth.PASSWORD));
        String token = given().contentType(ContentType.JSON).body(Map.of("name", "t", "role", "admin", "expires_in_days", 1))
                .post("/api/tokens").then().statusCode(201).extract().path("token");
        Auth.asAdmin();
        given().contentType(ContentType.JSON).body(Map.of("role", "viewer")).put("/api/users/" + owner).then().statusCode(200);
        Auth.as(token);
        given().get("/api/users/me").then().statusCode(200).body("role", equalTo("viewer"));
        given().get("/api/users").then().statusCode(403);
    }
}

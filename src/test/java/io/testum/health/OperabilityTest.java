package io.testum.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.testum.db.SchemaMigration;
import io.testum.testing.Auth;
import io.testum.testing.PostgresResource;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class OperabilityTest {

    @Inject
    SchemaMigration schema;

    @BeforeEach
    void signIn() {
        Auth.asAdmin();
    }

    @Test
    void reportsLivenessAndReadinessWithTheDatabaseCheck() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("PostgreSQL")));
    }

    @Test
    void keepsTheProbesOpenWithoutALogin() {
        Auth.anonymous();
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health").then().statusCode(200);
    }

    /** Source names, revisions, the pod's name and the version help an attacker; anonymous callers get only the state. */
    @Test
    void answersAnonymousApiHealthWithTheStateOnly() {
        Auth.anonymous();
        var body = given().get("/api/health").then().statusCode(200)
                .body("status", equalTo("up"))
                .body("database", equalTo("up"))
                .extract().jsonPath().getMap("$");
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Set.of("status", "database"), body.keySet(),
                "anonymous /api/health: " + body);
    }

    @Test
    void wantsALoginForMetricsAndTheApiDocument() {
        Auth.anonymous();
        for (String path : java.util.List.of("/q/metrics", "/q/openapi", "/q/openapi.json", "/q/openapi.yaml",
                "/q/swagger-ui/", "/q/swagger-ui/index.html")) {
            given().redirects().follow(false).get(path).then().statusCode(401);
        }
        given().redirects().follow(false).accept("application/json").get("/q/openapi?format=json").then().statusCode(401);
        String viewer = Auth.tokenOf("ops-viewer", "viewer");
        given().header("Authorization", "Bearer " + viewer).get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"));
        given().header("Authorization", "Bearer " + viewer).accept("application/json").get("/q/openapi").then()
                .statusCode(200);
    }

    @Test
    void migratedTheFreshDatabaseAtStartAndLeavesFlywayAloneOnceItIsCurrent() {
        org.junit.jupiter.api.Assertions.assertTrue(schema.isCurrent(), "every carried migration is applied");
        org.junit.jupiter.api.Assertions.assertFalse(schema.migrate(), "a current schema does not start Flyway");
    }

    @Test
    void answersApiHealthWithDatabaseLeaderAndVersion() {
        given().get("/api/health").then().statusCode(200)
                .body("status", equalTo("up"))
                .body("database", equalTo("up"))
                .body("leader.is_leader", equalTo(true))
                .body("leader.identity", notNullValue())
                .body("gitops", notNullValue())
                .body("version", notNullValue());
    }

    @Test
    void servesPrometheusMetricsOpenApiAndSwaggerUi() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/platforms"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void answersUnknownPathsAndMalformedJsonWithProblemDetails() {
        given().get("/api/nothing-here").then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404));
        given().contentType("application/json").body("{\"name\": ").post("/api/keys").then().statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Malformed JSON"));
        given().contentType("application/json").post("/api/keys").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("body"));
    }
}

package io.testum.auth;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.testum.testing.PostgresResource;

/** Every endpoint the application serves under /api has a row in the one table of access rules. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class AccessRulesTest {

    @Test
    void everyRegisteredApiEndpointHasAnAccessRule() {
        Map<String, Map<String, Object>> paths = given().accept("application/json").get("/q/openapi")
                .then().statusCode(200).extract().path("paths");
        List<String> missing = new ArrayList<>();
        int endpoints = 0;
        for (var path : paths.entrySet()) {
            for (String method : path.getValue().keySet()) {
                if (!List.of("get", "post", "put", "delete", "patch").contains(method)) {
                    continue;
                }
                endpoints++;
                String verb = method.toUpperCase(java.util.Locale.ROOT);
                if (AccessRules.lookup(verb, path.getKey()).isEmpty()) {
                    missing.add(verb + " " + path.getKey());
                }
            }
        }
        assertEquals(List.of(), missing, "endpoints without an access rule");
        org.junit.jupiter.api.Assertions.assertTrue(endpoints >= 20, "found " + endpoints + " endpoints");
    }
}

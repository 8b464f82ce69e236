package io.testum.auth;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.testum.testing.Auth;
import io.testum.testing.PostgresResource;

/**
 * Every endpoint the application registers has an access rule, and every rule holds: anonymous,
 * viewer, operator and admin against every endpoint get 401, 403, or through.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class AccessMatrixTest {

    private record Endpoint(String method, String template) {
        String path() {
            return template.replaceAll("\\{id}", "1").replaceAll("\\{\\w+}", "nothing-here");
        }
    }

    private static List<Endpoint> registeredEndpoints() {
        Auth.anonymous();
        Map<String, Map<String, Object>> paths = given().accept("application/json").get("/q/openapi")
                .then().statusCode(200).extract().path("paths");
        List<Endpoint> endpoints = new ArrayList<>();
        paths.forEach((path, methods) -> methods.keySet().stream()
                .filter(m -> List.of("get", "post", "put", "delete", "patch").contains(m))
                .forEach(m -> endpoints.add(new Endpoint(m.toUpperCase(Locale.ROOT), path))));
        // Logging out ends the caller's session: last, so the other calls still carry a live token.
        endpoints.sort(Comparator.comparing((Endpoint e) -> e.template().equals("/api/auth/logout")).thenComparing(
                Endpoint::template).thenComparing(Endpoint::method));
        return endpoints;
    }

    @Test
    void everyRegisteredApiEndpointHasAnAccessRule() {
        List<String> missing = registeredEndpoints().stream()
                .filter(e -> e.template().startsWith("/api/"))
                .filter(e -> AccessRules.lookup(e.method(), e.template()).isEmpty())
                .map(e -> e.method() + " " + e.template()).toList();
        assertEquals(List.of(), missing, "endpoints without an access rule");
    }

    @Test
    void everyCallThatChangesSomethingHasAnAuditName() {
        List<String> unnamed = AccessRules.all().entrySet().stream()
                .filter(e -> !e.getKey().startsWith("GET "))
                .filter(e -> e.getValue().action() == null)
                .map(Map.Entry::getKey).toList();
        assertEquals(List.of(), unnamed);
    }

    @Test
    void anonymousViewerOperatorAndAdminGetWhatTheirRoleAllows() {
        Map<String, String> tokens = Map.of(
                "viewer", Auth.tokenOf("matrix-viewer", "viewer"),
                "operator", Auth.tokenOf("matrix-operator", "operator"),
                "admin", Auth.tokenOf("matrix-admin", "admin"));
        List<Endpoint> endpoints = registeredEndpoints().stream().filter(e -> e.template().startsWith("/api/")).toList();
        assertTrue(endpoints.size() >= 30, "found " + endpoints.size() + " endpoints");
        List<String> wrong = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            AccessRules.Access access = AccessRules.lookup(endpoint.method(), endpoint.template()).orElseThrow().access();
            check(endpoint, "anonymous", null, expectedFor(access, null), wrong);
            for (Role role : Role.values()) {
                check(endpoint, role.label(), tokens.get(role.label()), expectedFor(access, role), wrong);
            }
        }
        assertEquals(List.of(), wrong);
    }

    /**
     * 401, 403, or 0 for "let through" (the call may still fail for its own reasons: 400, 404), or
     * -1 for the public endpoints whose job is to check credentials (login answers 401 itself).
     */
    private static int expectedFor(AccessRules.Access access, Role role) {
        if (access == AccessRules.Access.PUBLIC || access == AccessRules.Access.SIGNATURE) {
            return -1;
        }
        if (role == null) {
            return 401;
        }
        return access.role().map(needed -> role.includes(needed) ? 0 : 403).orElse(0);
    }

    private static void check(Endpoint endpoint, String who, String token, int expected, List<String> wrong) {
        RequestSpecification request = given().contentType("application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (!endpoint.method().equals("GET") && !endpoint.method().equals("DELETE")) {
            request.body("{}");
        }
        int status = request.request(endpoint.method(), endpoint.path()).then().extract().statusCode();
        boolean ok = switch (expected) {
            case -1 -> status != 403;
            case 0 -> status != 401 && status != 403;
            default -> status == expected;
        };
        if (!ok) {
            wrong.add(endpoint.method() + " " + endpoint.template() + " as " + who + ": got " + status + ", expected "
                    + (expected <= 0 ? "through" : expected));
        }
    }
}

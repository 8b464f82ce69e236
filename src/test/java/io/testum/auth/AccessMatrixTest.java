package io.testum.auth;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ResourceInfo;

import org.junit.jupiter.api.Test;

import io.quarkus.arc.Arc;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.testum.testing.Auth;
import io.testum.testing.PostgresResource;

/**
 * Every endpoint the application registers has an access rule, and every rule holds: anonymous,
 * viewer, operator and admin against every endpoint get 401, 403, or through. The web UI's pages
 * (io.testum.web, not in the OpenAPI document) are found among the application's beans; for them
 * "401" is a redirect to the login page, and their form posts also need the browser's CSRF token.
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
        Map<String, Map<String, Object>> paths = given().header("Authorization", "Bearer " + Auth.adminToken())
                .accept("application/json").get("/q/openapi").then().statusCode(200).extract().path("paths");
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

    /** The pages: every JAX-RS method of a resource class in io.testum.web, as AccessRules writes its path. */
    private static List<Endpoint> pageEndpoints() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Bean<?> bean : Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE)) {
            Class<?> type = bean.getBeanClass();
            if (!type.isAnnotationPresent(Path.class) || !type.getPackageName().equals("io.testum.web")) {
                continue;
            }
            for (Method method : type.getDeclaredMethods()) {
                String verb = method.isAnnotationPresent(GET.class) ? "GET" : method.isAnnotationPresent(POST.class) ? "POST"
                        : method.isAnnotationPresent(PUT.class) ? "PUT" : method.isAnnotationPresent(DELETE.class) ? "DELETE" : null;
                if (verb != null) {
                    endpoints.add(new Endpoint(verb, AccessRules.template(new ResourceInfo() {
                        @Override
                        public Method getResourceMethod() {
                            return method;
                        }

                        @Override
                        public Class<?> getResourceClass() {
                            return type;
                        }
                    })));
                }
            }
        }
        endpoints.sort(Comparator.comparing((Endpoint e) -> e.template().equals("/logout")).thenComparing(Endpoint::template)
                .thenComparing(Endpoint::method));
        return endpoints;
    }

    @Test
    void everyPageHasAnAccessRule() {
        List<Endpoint> pages = pageEndpoints();
        assertTrue(pages.size() >= 40, "found " + pages.size() + " pages");
        List<String> missing = pages.stream().filter(e -> AccessRules.lookup(e.method(), e.template()).isEmpty())
                .map(e -> e.method() + " " + e.template()).toList();
        assertEquals(List.of(), missing, "pages without an access rule");
    }

    @Test
    void anonymousViewerOperatorAndAdminGetThePagesTheirRoleAllows() {
        Map<String, String> tokens = Map.of(
                "viewer", Auth.tokenOf("matrix-page-viewer", "viewer"),
                "operator", Auth.tokenOf("matrix-page-operator", "operator"),
                "admin", Auth.tokenOf("matrix-page-admin", "admin"));
        List<String> wrong = new ArrayList<>();
        for (Endpoint page : pageEndpoints()) {
            AccessRules.Access access = AccessRules.lookup(page.method(), page.template()).orElseThrow().access();
            checkPage(page, "anonymous", null, expectedFor(access, null), wrong);
            for (Role role : Role.values()) {
                checkPage(page, role.label(), tokens.get(role.label()), expectedFor(access, role), wrong);
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyPageFormPostNeedsTheBrowsersCsrfToken() {
        String admin = Auth.tokenOf("matrix-csrf-admin", "admin");
        List<String> unprotected = new ArrayList<>();
        for (Endpoint page : pageEndpoints()) {
            if (page.method().equals("GET")) {
                continue;
            }
            int status = given().redirects().follow(false).cookie("testum_access", admin).formParam("name", "x")
                    .request(page.method(), page.path()).then().extract().statusCode();
            if (status != 400) {
                unprotected.add(page.method() + " " + page.template() + ": " + status);
            }
        }
        assertEquals(List.of(), unprotected, "form posts accepted without a CSRF token");
    }

    private static final Map<String, String> CSRF = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A page as a browser calls it: the session cookie, and for a form post the session's CSRF token
     * (a visitor's: the CSRF cookie and the same field).
     */
    private static void checkPage(Endpoint page, String who, String token, int expected, List<String> wrong) {
        String csrf = token == null ? "M".repeat(43) : CSRF.computeIfAbsent(token, Auth::csrfOf);
        RequestSpecification request = given().redirects().follow(false).cookie("testum_csrf", csrf);
        if (token != null) {
            request.cookie("testum_access", token);
        }
        if (!page.method().equals("GET")) {
            request.formParam("csrf", csrf);
        }
        var response = request.request(page.method(), page.path()).then().extract();
        int status = response.statusCode();
        boolean toLogin = status == 303 && String.valueOf(response.header("Location")).startsWith("/login");
        boolean ok = switch (expected) {
            case -1 -> status != 403;
            case 0 -> status != 401 && status != 403 && !toLogin;
            case 401 -> toLogin;
            default -> status == expected;
        };
        if (!ok) {
            wrong.add(page.method() + " " + page.template() + " as " + who + ": got " + status + ", expected "
                    + (expected == 401 ? "a redirect to the login page" : expected <= 0 ? "through" : expected));
        }
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
     * The routes outside the REST layer (WebSockets, metrics, the OpenAPI document, Swagger UI, the
     * probes) hold to their rows too: each one as anonymous, viewer, operator and admin.
     */
    @Test
    void anonymousViewerOperatorAndAdminGetTheRoutesTheirRoleAllows() {
        Map<String, String> tokens = Map.of(
                "viewer", Auth.tokenOf("matrix-route-viewer", "viewer"),
                "operator", Auth.tokenOf("matrix-route-operator", "operator"),
                "admin", Auth.tokenOf("matrix-route-admin", "admin"));
        Map<String, AccessRules.Rule> routes = AccessRules.routes();
        assertTrue(routes.keySet().containsAll(List.of("GET /q/health/*", "GET /q/metrics/*", "GET /q/openapi/*",
                "GET /q/swagger-ui/*", "GET /ws/runs/{id}", "GET /ws/tasks/{id}")), routes.keySet().toString());
        List<String> wrong = new ArrayList<>();
        routes.forEach((row, rule) -> {
            String[] parts = row.split(" ");
            String path = parts[1].replace("/*", "/").replace("{id}", "00000000-0000-0000-0000-000000000000");
            if (path.equals("/q/health/")) {
                path = "/q/health/live";
            }
            Endpoint route = new Endpoint(parts[0], path);
            check(route, "anonymous", null, expectedFor(rule.access(), null), wrong);
            for (Role role : Role.values()) {
                check(route, role.label(), tokens.get(role.label()), expectedFor(rule.access(), role), wrong);
            }
        });
        assertEquals(List.of(), wrong);
    }

    /** A path under a route rule's prefix that the table does not name is refused to everyone. */
    @Test
    void aRoutePathWithoutARowIsRefused() {
        assertTrue(AccessRules.route("GET", "/ws/unknown").isEmpty());
        given().header("Authorization", "Bearer " + Auth.adminToken()).get("/ws/unknown").then().statusCode(403);
        given().header("Authorization", "Bearer " + Auth.adminToken()).post("/q/metrics").then().statusCode(403);
    }

    /** Anonymous callers learn only whether testum is up; the sources, leader and version are for signed-in ones. */
    @Test
    void theHealthAnswerNamesLeaderSourcesAndVersionOnlyToSignedInCallers() {
        Auth.anonymous();
        Map<String, Object> anonymous = given().get("/api/health").then().statusCode(200).extract().jsonPath().getMap("$");
        assertEquals(java.util.Set.of("status", "database"), anonymous.keySet());
        for (Role role : Role.values()) {
            Map<String, Object> full = given().header("Authorization", "Bearer " + Auth.tokenOf("matrix-health-"
                    + role.label(), role.label())).get("/api/health").then().statusCode(200).extract().jsonPath().getMap("$");
            assertTrue(full.keySet().containsAll(List.of("status", "database", "leader", "gitops", "version")),
                    role.label() + ": " + full.keySet());
        }
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

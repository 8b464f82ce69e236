package io.testum.common;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.testum.testing.Auth;
import io.testum.testing.PostgresResource;

/**
 * Every answer, page or API, success or refusal, tells the browser not to frame it, not to guess
 * its type, and to run only testum's own scripts.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class SecurityHeadersTest {

    @AfterEach
    void anonymous() {
        Auth.anonymous();
    }

    private static Map<String, Response> answers() {
        Auth.anonymous();
        Map<String, Response> answers = new java.util.LinkedHashMap<>();
        answers.put("the login page", given().get("/login"));
        answers.put("a page's redirect to the login", given().redirects().follow(false).get("/platforms"));
        answers.put("an API refusal", given().get("/api/platforms"));
        answers.put("an unknown API path", given().get("/api/nothing-here"));
        answers.put("a script", given().get("/static/testum.js"));
        answers.put("the liveness probe", given().get("/q/health/live"));
        answers.put("a failed login", given().contentType(ContentType.JSON)
                .body(Map.of("username", "header-probe", "password", "wrong-password")).post("/api/auth/login"));
        String admin = Auth.adminToken();
        answers.put("an API answer", given().header("Authorization", "Bearer " + admin).get("/api/platforms"));
        answers.put("a page", given().cookie("testum_access", admin).get("/platforms"));
        return answers;
    }

    @Test
    void everyAnswerForbidsFramingSniffingAndForeignOrInlineScripts() {
        List<String> wrong = new ArrayList<>();
        answers().forEach((what, response) -> {
            if (!"nosniff".equals(response.header("X-Content-Type-Options"))) {
                wrong.add(what + ": X-Content-Type-Options " + response.header("X-Content-Type-Options"));
            }
            if (!"DENY".equals(response.header("X-Frame-Options"))) {
                wrong.add(what + ": X-Frame-Options " + response.header("X-Frame-Options"));
            }
            String csp = response.header("Content-Security-Policy");
            if (csp == null || !csp.contains("frame-ancestors 'none'") || !csp.contains("script-src 'self'")
                    || !csp.contains("object-src 'none'") || csp.contains("unsafe-inline") || csp.contains("unsafe-eval")) {
                wrong.add(what + ": Content-Security-Policy " + csp);
            }
            if (!"same-origin".equals(response.header("Referrer-Policy"))) {
                wrong.add(what + ": Referrer-Policy " + response.header("Referrer-Policy"));
            }
        });
        assertEquals(List.of(), wrong);
    }

    @Test
    void sendsNoStrictTransportSecurityOverPlainHttp() {
        answers().forEach((what, response) -> assertNull(response.header("Strict-Transport-Security"), what));
    }

    @Test
    void theErrorPageHasNoInlineScriptOrJavascriptLink() {
        String html = given().cookie("testum_access", Auth.adminToken()).get("/platforms/no-such-platform").then()
                .statusCode(404).extract().asString();
        assertFalse(html.contains("javascript:"), html);
        assertFalse(html.matches("(?s).*<script>.*"), html);
        assertTrue(html.contains("data-back"), html);
    }
}

package io.testum.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.testum.testing.Auth;
import io.testum.testing.PostgresResource;
import io.testum.testing.TestDatabase;

/**
 * Forwarding is on, as behind an ingress, but the client is not the ingress: its X-Forwarded-For,
 * Forwarded and X-Forwarded-Proto headers are its own invention and change nothing.
 */
@QuarkusTest
@TestProfile(UntrustedForwardingTest.ProxyElsewhere.class)
@WithTestResource(PostgresResource.class)
class UntrustedForwardingTest {

    public static class ProxyElsewhere implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.trusted-proxies", "192.0.2.1");
        }
    }

    @BeforeEach
    void reset() {
        TestDatabase.reset();
        Auth.anonymous();
    }

    @Test
    void aClientCannotChooseItsAddressForTheAuditLogAndTheThrottle() {
        given().header("X-Forwarded-For", "198.51.100.77").header("Forwarded", "for=198.51.100.78")
                .contentType(ContentType.JSON).body(Map.of("username", "spoofer", "password", "wrong-password"))
                .post("/api/auth/login").then().statusCode(401);
        assertThat(TestDatabase.rows("SELECT client_address FROM audit_log WHERE actor = 'spoofer'"))
                .containsExactly(List.of("127.0.0.1"));
        assertThat(TestDatabase.rows("SELECT key FROM login_throttle WHERE key LIKE 'address:%'"))
                .containsExactly(List.of("address:127.0.0.1"));
        TestDatabase.reset();
    }

    @Test
    void aClientCannotClaimHttps() {
        assertThat(given().header("X-Forwarded-Proto", "https").get("/login").header("Strict-Transport-Security")).isNull();
    }
}

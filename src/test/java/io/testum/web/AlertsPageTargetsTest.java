package io.testum.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import io.testum.testing.Auth;
import io.testum.testing.PostgresResource;
import io.testum.testing.TestDatabase;

/**
 * The alerts form with private targets refused, as in production (the other tests allow them, for
 * a receiver on 127.0.0.1): an admin who types a loopback, link-local (cloud metadata) or
 * localhost URL gets an error page naming the URL, on create and on edit, and nothing is stored.
 */
@QuarkusTest
@TestProfile(AlertsPageTargetsTest.Profile.class)
@WithTestResource(PostgresResource.class)
class AlertsPageTargetsTest {

    public static final class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("testum.alerts.allow-private-targets", "false");
        }
    }

    private static final String SECRET = "a-signing-secret-of-length";

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        Auth.anonymous();
    }

    private static RequestSpecification form(String token) {
        return given().redirects().follow(false).cookie("testum_csrf", WebPagesTest.CSRF).cookie("testum_access", token)
                .formParam("csrf", Auth.csrfOf(token));
    }

    @Test
    void refusesAnAlertFormWhoseUrlPointsIntoTestumsOwnHostOrLinkAndStoresNothing() {
        String admin = Auth.adminToken();
        for (String url : List.of("http://127.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://localhost:8080/q/health",
                "http://[::1]/", "http://[::ffff:127.0.0.1]/")) {
            form(admin).formParam("name", "inside").formParam("type", "webhook").formParam("url", url).formParam("secret", SECRET)
                    .formParam("events", "run.failed").post("/alerts").then().statusCode(400)
                    .contentType(containsString("text/html")).body(containsString("url: points to"))
                    .body(containsString("testum.alerts.allow-private-targets=true"));
        }
        assertThat(TestDatabase.rows("SELECT count(*) FROM alerts")).containsExactly(List.of("0"));

        form(admin).formParam("name", "ops").formParam("type", "webhook").formParam("url", "https://hooks.example.test/t")
                .formParam("secret", SECRET).formParam("events", "run.failed").formParam("enabled", "true").post("/alerts").then()
                .statusCode(303);
        form(admin).formParam("type", "webhook").formParam("url", "http://127.0.0.1:5432/").formParam("events", "run.failed")
                .post("/alerts/ops").then().statusCode(400).body(containsString("url: points to a loopback address"));
        assertThat(TestDatabase.rows("SELECT url_shown FROM alerts")).containsExactly(List.of("https://hooks.example.test/…"));
    }
}

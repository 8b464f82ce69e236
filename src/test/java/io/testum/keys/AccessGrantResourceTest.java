package io.testum.keys;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static io.testum.testing.Fixtures.put;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.testum.testing.Fixtures;
import io.testum.testing.Auth;
import io.testum.testing.PostgresResource;
import io.testum.testing.TestDatabase;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class AccessGrantResourceTest {

    @BeforeEach
    void reset() {
        Auth.asAdmin();
        TestDatabase.reset();
        Fixtures.credential("deployer");
        Fixtures.platform("web-01", Map.of("role", "web"));
        Fixtures.platform("web-02", Map.of("role", "web"));
        Fixtures.key("alice", TestKeys.ED25519);
        Fixtures.key("bob", TestKeys.ED25519_B);
    }

    private static Map<String, Object> grant(String name) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("keys", List.of("alice"));
        body.put("platforms", List.of("web-01"));
        return body;
    }

    @Test
    void createsReadsUpdatesAndDeletesAGrant() {
        Map<String, Object> body = grant("web-admins");
        body.put("keys", List.of("bob", "alice"));
        body.put("selector", Map.of("role", "web"));
        body.put("user", "deploy");
        body.put("options", "from=\"10.0.0.0/8\",no-agent-forwarding");
        body.put("expires", "2099-12-31T18:00:00Z");
        post("/api/access", body).statusCode(201)
                .header("Location", containsString("/api/access/web-admins"))
                .body("keys", contains("alice", "bob"))
                .body("platforms", contains("web-01"))
                .body("selector.role", equalTo("web"))
                .body("user", equalTo("deploy"))
                .body("options", equalTo("from=\"10.0.0.0/8\",no-agent-forwarding"))
                .body("expires", equalTo("2099-12-31T18:00:00Z"))
                .body("expired", equalTo(false));

        body.put("keys", List.of("alice"));
        body.put("platforms", List.of("web-02"));
        body.remove("selector");
        put("/api/access/web-admins", body).statusCode(200)
                .body("keys", contains("alice")).body("platforms", contains("web-02")).body("selector", equalTo(null));
        given().get("/api/access/web-admins").then().statusCode(200).body("platforms", contains("web-02"));
        given().get("/api/access?q=admins").then().body("items.name", contains("web-admins"));

        given().delete("/api/access/web-admins").then().statusCode(204);
        given().get("/api/access/web-admins").then().statusCode(404);
        given().get("/api/keys/alice").then().statusCode(200);
    }

    @Test
    void pagesThroughGrantsInNameOrder() {
        for (String name : List.of("c", "a", "b")) {
            post("/api/access", grant(name)).statusCode(201);
        }
        given().get("/api/access?size=2").then().body("total", equalTo(3)).body("items.name", contains("a", "b"))
                .body("items[0].keys", contains("alice"));
        given().get("/api/access?size=2&page=1").then().body("items.name", contains("c"));
    }

    @Test
    void namesEveryMissingKeyAndPlatformByPosition() {
        Map<String, Object> body = grant("g");
        body.put("keys", List.of("alice", "carol", "dave"));
        body.put("platforms", List.of("web-09", "web-01"));
        post("/api/access", body).statusCode(400)
                .body("errors.field", contains("keys[1]", "keys[2]", "platforms[0]"))
                .body("errors[0].message", equalTo("key 'carol' does not exist"));
    }

    @Test
    void refusesADuplicateName() {
        post("/api/access", grant("g")).statusCode(201);
        post("/api/access", grant("g")).statusCode(409);
    }

    static Stream<Arguments> invalidGrants() {
        return Stream.of(
                Arguments.of("keys", List.of(), "at least one key"),
                Arguments.of("keys", List.of("alice", "alice"), "listed twice"),
                Arguments.of("platforms", List.of(), "needs platforms, a selector, or both"),
                Arguments.of("platforms", List.of("Web 01"), "lowercase DNS label"),
                Arguments.of("selector", Map.of("bad key", "x"), "key name"),
                Arguments.of("user", "-root", "POSIX user name"),
                Arguments.of("options", "no-pty,bogus-option", "not an authorized_keys option"),
                Arguments.of("options", "command=ls", "double quotes"),
                Arguments.of("options", "no-pty\nssh-ed25519 AAAA evil", "line breaks"),
                Arguments.of("options", "from=\"10.0.0.0/8", "no closing double quote"),
                Arguments.of("expires", "2001-01-01T00:00:00Z", "in the past"),
                Arguments.of("name", "", "is required"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalidGrants")
    void refusesAnInvalidFieldAndNamesIt(String field, Object value, String message) {
        Map<String, Object> body = grant("g");
        body.put(field, value);
        post("/api/access", body).statusCode(400)
                .body("errors", hasSize(1))
                .body("errors[0].field", containsString(field))
                .body("errors[0].message", containsString(message));
    }

    @Test
    void explainsAnUnreadableExpiryTime() {
        Map<String, Object> body = grant("g");
        body.put("expires", "next tuesday");
        post("/api/access", body).statusCode(400)
                .body("errors[0].field", equalTo("expires"))
                .body("errors[0].message", containsString("ISO-8601"));
    }
}

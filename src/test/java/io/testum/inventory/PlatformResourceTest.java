package io.testum.inventory;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.platformBody;
import static io.testum.testing.Fixtures.post;
import static io.testum.testing.Fixtures.put;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

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
class PlatformResourceTest {

    @BeforeEach
    void reset() {
        Auth.asAdmin();
        TestDatabase.reset();
        Fixtures.credential("deployer");
    }

    @Test
    void createsReadsUpdatesAndDeletesAPlatform() {
        Map<String, Object> body = platformBody("web-01");
        body.put("labels", Map.of("env", "prod", "role", "web"));
        body.put("description", "Production web server");
        post("/api/platforms", body).statusCode(201)
                .header("Location", endsWith("/api/platforms/web-01"))
                .body("name", equalTo("web-01"))
                .body("port", equalTo(22))
                .body("authorized_keys_path", equalTo("~/.ssh/authorized_keys"))
                .body("authorized_keys_mode", equalTo("merge"))
                .body("labels.env", equalTo("prod"))
                .body("source", equalTo("api"));

        given().get("/api/platforms/web-01").then().statusCode(200)
                .body("host", equalTo("192.0.2.10"))
                .body("credential", equalTo("deployer"))
                .body("description", equalTo("Production web server"));

        body.put("host", "web-01.example.com");
        body.put("port", 2222);
        body.put("authorized_keys_mode", "exclusive");
        put("/api/platforms/web-01", body).statusCode(200)
                .body("host", equalTo("web-01.example.com"))
                .body("port", equalTo(2222))
                .body("authorized_keys_mode", equalTo("exclusive"));
        given().get("/api/platforms/web-01").then().body("port", equalTo(2222));

        given().delete("/api/platforms/web-01").then().statusCode(204);
        given().get("/api/platforms/web-01").then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("platform 'web-01' does not exist"));
    }

    @Test
    void refusesASecondPlatformWithTheSameName() {
        post("/api/platforms", platformBody("web-01")).statusCode(201);
        post("/api/platforms", platformBody("web-01")).statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("already exists"));
    }

    @Test
    void answers404ForUpdateAndDeleteOfAnUnknownPlatform() {
        put("/api/platforms/ghost", platformBody("ghost")).statusCode(404);
        given().delete("/api/platforms/ghost").then().statusCode(404);
    }

    @Test
    void refusesARenameThroughUpdate() {
        post("/api/platforms", platformBody("web-01")).statusCode(201);
        put("/api/platforms/web-01", platformBody("web-02")).statusCode(400).body("errors[0].field", equalTo("name"));
    }

    @Test
    void refusesToDeleteAPlatformThatAGrantNames() {
        post("/api/platforms", platformBody("web-01")).statusCode(201);
        Fixtures.key("alice", io.testum.keys.TestKeys.ED25519);
        Fixtures.grant("admins", List.of("alice"), List.of("web-01"), null);
        given().delete("/api/platforms/web-01").then().statusCode(409).body("detail", containsString("admins"));
    }

    @Test
    void pagesThroughPlatformsInNameOrder() {
        for (String name : List.of("e-5", "a-1", "c-3", "b-2", "d-4")) {
            post("/api/platforms", platformBody(name)).statusCode(201);
        }
        given().get("/api/platforms?page=0&size=2").then().statusCode(200)
                .body("total", equalTo(5)).body("page", equalTo(0)).body("size", equalTo(2))
                .body("items.name", contains("a-1", "b-2"));
        given().get("/api/platforms?page=2&size=2").then()
                .body("items.name", contains("e-5"));
        given().get("/api/platforms?page=3&size=2").then()
                .body("total", equalTo(5)).body("items", hasSize(0));
    }

    @Test
    void refusesBadPagingParameters() {
        given().get("/api/platforms?page=-1&size=0").then().statusCode(400)
                .body("errors.field", contains("page", "size"));
    }

    @Test
    void filtersByEveryGivenLabelAndByText() {
        Fixtures.platform("web-01", Map.of("env", "prod", "role", "web"));
        Fixtures.platform("web-02", Map.of("env", "staging", "role", "web"));
        Fixtures.platform("db-01", Map.of("env", "prod", "role", "db", "example.com/tier", "gold"));

        given().get("/api/platforms?label=env=prod").then().body("items.name", contains("db-01", "web-01"));
        given().get("/api/platforms?label=env=prod&label=role=web").then().body("items.name", contains("web-01"));
        given().get("/api/platforms?label=example.com/tier").then().body("items.name", contains("db-01"));
        given().get("/api/platforms?label=env=dev").then().body("total", equalTo(0));
        given().get("/api/platforms?q=WEB").then().body("items.name", contains("web-01", "web-02"));
        given().get("/api/platforms?q=web&label=env=staging").then().body("items.name", contains("web-02"));
        given().get("/api/platforms?q=%25").then().body("total", equalTo(0));
    }

    @Test
    void refusesAMalformedLabelFilter() {
        given().get("/api/platforms?label=bad key=x").then().statusCode(400).body("errors[0].field", equalTo("label"));
    }

    @Test
    void listsEveryBrokenRuleAtOnce() {
        Map<String, Object> body = platformBody("Bad_Name");
        body.put("host", "not a host");
        body.put("port", 0);
        body.put("username", "1root");
        body.put("auth_method", "token");
        body.put("credential", "missing");
        post("/api/platforms", body).statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:testum:problem:validation"))
                .body("status", equalTo(400))
                .body("errors.field", contains("name", "host", "port", "username", "auth_method", "credential"));
    }

    @Test
    void refusesAKeyCredentialForPasswordLogin() {
        Map<String, Object> body = platformBody("web-01");
        body.put("auth_method", "password");
        post("/api/platforms", body).statusCode(400)
                .body("errors[0].field", equalTo("credential"))
                .body("errors[0].message", containsString("holds a key, but auth_method is password"));
    }

    static Stream<Arguments> invalidFields() {
        return Stream.of(
                Arguments.of("name", "Web-01", "lowercase DNS label"),
                Arguments.of("name", "-web", "lowercase DNS label"),
                Arguments.of("name", "a".repeat(64), "lowercase DNS label"),
                Arguments.of("name", null, "is required"),
                Arguments.of("host", "bad host", "neither an IP address nor a valid host name"),
                Arguments.of("host", "-x.example.com", "neither an IP address nor a valid host name"),
                Arguments.of("host", "256.1.1.1", "not a valid IPv4 address"),
                Arguments.of("host", "2001:db8::1::2", "not a valid IPv6 address"),
                Arguments.of("host", "[::1]", "not a valid IPv6 address"),
                Arguments.of("port", 0, "between 1 and 65535"),
                Arguments.of("port", 65536, "between 1 and 65535"),
                Arguments.of("username", "-deploy", "POSIX user name"),
                Arguments.of("username", "de ploy", "POSIX user name"),
                Arguments.of("username", "a".repeat(33), "POSIX user name"),
                Arguments.of("auth_method", "certificate", "must be key or password"),
                Arguments.of("credential", "no-such-credential", "does not exist"),
                Arguments.of("host_key", "MD5:aa:bb", "SHA256 fingerprint"),
                Arguments.of("authorized_keys_path", ".ssh/authorized_keys", "must start with ~/"),
                Arguments.of("authorized_keys_path", "~/../etc/passwd", "'.' or '..' segments"),
                Arguments.of("authorized_keys_path", "~/.ssh/keys;rm -rf x", "shell metacharacters"),
                Arguments.of("authorized_keys_path", "/etc/ssh/keys $(id)", "shell metacharacters"),
                Arguments.of("authorized_keys_path", "~/.ssh/", "must name a file"),
                Arguments.of("authorized_keys_path", "~/.ssh//authorized_keys", "empty segments"),
                Arguments.of("authorized_keys_path", "//etc/keys", "empty segments"),
                Arguments.of("authorized_keys_mode", "append", "must be merge"),
                Arguments.of("description", "x".repeat(1025), "at most 1024"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalidFields")
    void refusesAnInvalidFieldAndNamesIt(String field, Object value, String message) {
        Map<String, Object> body = platformBody("web-01");
        body.put(field, value);
        post("/api/platforms", body).statusCode(400)
                .body("errors", hasSize(1))
                .body("errors[0].field", equalTo(field))
                .body("errors[0].message", containsString(message));
    }

    static Stream<Arguments> invalidLabels() {
        return Stream.of(
                Arguments.of(Map.of("bad key", "x"), "labels.bad key"),
                Arguments.of(Map.of("-env", "x"), "labels.-env"),
                Arguments.of(Map.of("Example.COM/env", "x"), "labels.Example.COM/env"),
                Arguments.of(Map.of("env", "prod!"), "labels.env"),
                Arguments.of(Map.of("env", "x".repeat(64)), "labels.env"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidLabels")
    void refusesAnInvalidLabelAndNamesIt(Map<String, String> labels, String field) {
        Map<String, Object> body = platformBody("web-01");
        body.put("labels", labels);
        post("/api/platforms", body).statusCode(400).body("errors.field", hasItem(field));
    }

    @Test
    void acceptsIpv6HostsAndAbsolutePaths() {
        Map<String, Object> body = platformBody("v6");
        body.put("host", "2001:db8::10");
        body.put("authorized_keys_path", "/etc/ssh/authorized_keys/deploy");
        body.put("host_key", "SHA256:" + "A".repeat(43));
        post("/api/platforms", body).statusCode(201).body("host", equalTo("2001:db8::10"));
    }

    @Test
    void explainsAWrongJsonTypeByField() {
        Map<String, Object> body = platformBody("web-01");
        body.put("port", "twenty-two");
        post("/api/platforms", body).statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("port"))
                .body("errors[0].message", startsWith("must be an integer"));
    }

    @Test
    void refusesAnUnknownField() {
        Map<String, Object> body = platformBody("web-01");
        body.put("authorized_key_path", "~/.ssh/x");
        post("/api/platforms", body).statusCode(400)
                .body("errors[0].field", equalTo("authorized_key_path"))
                .body("errors[0].message", containsString("not a known field"));
    }
}

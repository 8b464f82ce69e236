package io.testum.testing;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Inventory made through the API, for tests that need some to exist. */
public final class Fixtures {

    private Fixtures() {
    }

    public static ValidatableResponse post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path).then();
    }

    public static ValidatableResponse put(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).when().put(path).then();
    }

    public static void credential(String name) {
        post("/api/credentials/generate", Map.of("name", name, "type", "ed25519")).statusCode(201);
    }

    /** A platform body with valid values; callers override fields. */
    public static Map<String, Object> platformBody(String name) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("host", "192.0.2.10");
        body.put("port", 22);
        body.put("username", "deploy");
        body.put("auth_method", "key");
        body.put("credential", "deployer");
        return body;
    }

    public static void platform(String name, Map<String, String> labels) {
        Map<String, Object> body = platformBody(name);
        body.put("labels", labels);
        post("/api/platforms", body).statusCode(201);
    }

    public static void key(String name, String publicKey) {
        post("/api/keys", Map.of("name", name, "public_key", publicKey)).statusCode(201);
    }

    public static void grant(String name, List<String> keys, List<String> platforms, Map<String, String> selector) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("keys", keys);
        if (platforms != null) {
            body.put("platforms", platforms);
        }
        if (selector != null) {
            body.put("selector", selector);
        }
        post("/api/access", body).statusCode(201);
    }
}

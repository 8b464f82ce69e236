package io.testum.keys;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static io.testum.testing.Fixtures.put;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.testum.testing.Fixtures;
import io.testum.testing.KeyGen;
import io.testum.testing.Auth;
import io.testum.testing.PostgresResource;
import io.testum.testing.TestDatabase;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class KeyResourceTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void reset() {
        Auth.asAdmin();
        TestDatabase.reset();
    }

    @Test
    void parsesTypeBitsFingerprintAndCommentAsSshKeygenDoes() {
        Path key = KeyGen.generate(tmp, "rsa", 3072, null, null, "carol@workstation");
        String[] expected = KeyGen.fingerprintLine(Path.of(key + ".pub")).split(" ");
        post("/api/keys", Map.of("name", "carol", "public_key", KeyGen.publicLine(key), "description", "Carol's RSA key"))
                .statusCode(201)
                .body("type", equalTo("ssh-rsa"))
                .body("bits", equalTo(Integer.parseInt(expected[0])))
                .body("fingerprint", equalTo(expected[1]))
                .body("comment", equalTo("carol@workstation"))
                .body("description", equalTo("Carol's RSA key"))
                .body("source", equalTo("api"))
                .body("platforms", empty());
    }

    @Test
    void createsReadsUpdatesAndDeletesAKey() {
        post("/api/keys", Map.of("name", "alice", "public_key", TestKeys.ED25519)).statusCode(201);
        given().get("/api/keys/alice").then().statusCode(200).body("public_key", equalTo(TestKeys.ED25519));
        put("/api/keys/alice", Map.of("public_key", TestKeys.ED25519_B, "description", "new laptop")).statusCode(200)
                .body("comment", equalTo("bob@desk")).body("description", equalTo("new laptop"));
        given().get("/api/keys?q=laptop").then().body("items.name", contains("alice"));
        given().delete("/api/keys/alice").then().statusCode(204);
        given().get("/api/keys/alice").then().statusCode(404);
    }

    @Test
    void refusesTheSamePublicKeyUnderASecondName() {
        post("/api/keys", Map.of("name", "alice", "public_key", TestKeys.ED25519)).statusCode(201);
        post("/api/keys", Map.of("name", "alice2", "public_key", TestKeys.ED25519)).statusCode(409)
                .body("detail", containsString("already registered as key 'alice'"));
        post("/api/keys", Map.of("name", "alice", "public_key", TestKeys.ED25519_B)).statusCode(409);
    }

    @Test
    void showsThePlatformsWhereGrantsInForcePutTheKey() {
        Fixtures.credential("deployer");
        Fixtures.platform("web-01", Map.of("role", "web"));
        Fixtures.platform("web-02", Map.of("role", "web"));
        Fixtures.platform("db-01", Map.of("role", "db"));
        Fixtures.platform("db-02", Map.of("role", "db"));
        Fixtures.key("alice", TestKeys.ED25519);
        Fixtures.key("bob", TestKeys.ED25519_B);
        Fixtures.grant("web", List.of("alice"), null, Map.of("role", "web"));
        Fixtures.grant("one-db", List.of("alice", "bob"), List.of("db-01"), null);

        given().get("/api/keys/alice").then().body("platforms", contains("db-01", "web-01", "web-02"));
        given().get("/api/keys").then().body("items.find { it.name == 'bob' }.platforms", contains("db-01"));
    }

    @Test
    void refusesToDeleteAKeyThatAGrantIncludes() {
        Fixtures.credential("deployer");
        Fixtures.platform("web-01", Map.of());
        Fixtures.key("alice", TestKeys.ED25519);
        Fixtures.grant("admins", List.of("alice"), List.of("web-01"), null);
        given().delete("/api/keys/alice").then().statusCode(409).body("detail", containsString("admins"));
    }

    static Stream<Arguments> refusedKeys() {
        return Stream.of(
                Arguments.of("garbage", "this is not a key", "unknown key type"),
                Arguments.of("empty", "", "is required"),
                Arguments.of("unknown type", "ssh-foo AAAAB3NzaC1yc2E= x", "unknown key type 'ssh-foo'"),
                Arguments.of("DSA", TestKeys.DSA, "DSA"),
                Arguments.of("RSA under 2048 bits", TestKeys.RSA_1024, "at least 2048 bits"),
                Arguments.of("private key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"
                        + "-----END OPENSSH PRIVATE KEY-----", "is a private key"),
                Arguments.of("two keys", TestKeys.ED25519 + "\n" + TestKeys.ED25519_B, "exactly one public key"),
                Arguments.of("options in front", "no-pty " + TestKeys.ED25519, "options before the key type"),
                Arguments.of("bad base64", "ssh-ed25519 AAAA!!!! x", "not valid base64"),
                Arguments.of("truncated data", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF x", "does not decode"),
                Arguments.of("type mismatch", "ssh-rsa " + TestKeys.ED25519.split(" ")[1], "holds a 'ssh-ed25519' key"),
                Arguments.of("certificate", "ssh-ed25519-cert-v01@openssh.com AAAA x", "certificate"),
                Arguments.of("RFC 4716", "---- BEGIN SSH2 PUBLIC KEY ----\nAAAA\n---- END SSH2 PUBLIC KEY ----", "RFC 4716"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedKeys")
    void refusesAnUnusablePublicKeyAndSaysWhy(String label, String publicKey, String reason) {
        post("/api/keys", Map.of("name", "k", "public_key", publicKey)).statusCode(400)
                .contentType("application/problem+json")
                .body("errors", hasSize(1))
                .body("errors[0].field", equalTo("public_key"))
                .body("errors[0].message", containsString(reason));
    }

    @Test
    void refusesABadNameAndAMissingKeyTogether() {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "bad name");
        post("/api/keys", body).statusCode(400).body("errors.field", contains("name", "public_key"));
    }
}

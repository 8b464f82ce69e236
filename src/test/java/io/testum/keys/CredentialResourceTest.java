package io.testum.keys;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.platformBody;
import static io.testum.testing.Fixtures.post;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.testum.secrets.SecretCipher;
import io.testum.testing.KeyGen;
import io.testum.testing.Auth;
import io.testum.testing.PostgresResource;
import io.testum.testing.TestDatabase;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class CredentialResourceTest {

    @Inject
    SecretCipher cipher;

    @TempDir
    Path tmp;

    @BeforeEach
    void reset() {
        Auth.asAdmin();
        TestDatabase.reset();
    }

    /** The private key testum sealed for {@code name}, written to a file ssh-keygen can read. */
    private Path storedPrivateKey(String name) throws Exception {
        List<List<String>> rows = TestDatabase.rows("SELECT encode(secret, 'hex') FROM credentials WHERE name = ?", name);
        byte[] sealed = java.util.HexFormat.of().parseHex(rows.get(0).get(0));
        Path file = tmp.resolve(name + ".key");
        Files.write(file, cipher.decrypt(sealed, Credential.purpose(name)));
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    @Test
    void generatesAnEd25519KeyWhosePublicHalfSshKeygenDerives() throws Exception {
        String publicKey = post("/api/credentials/generate", Map.of("name", "deployer", "type", "ed25519")).statusCode(201)
                .header("Location", containsString("/api/credentials/deployer"))
                .body("kind", equalTo("key"))
                .body("type", equalTo("ssh-ed25519"))
                .body("bits", equalTo(256))
                .body("has_secret", equalTo(true))
                .body("fingerprint", startsWith("SHA256:"))
                .extract().path("public_key");
        assertEquals(KeyGen.withoutComment(publicKey), KeyGen.derivePublic(storedPrivateKey("deployer")));
        given().get("/api/credentials/deployer/public-key").then().statusCode(200)
                .contentType(containsString("text/plain"))
                .body(equalTo(publicKey + "\n"));
    }

    @Test
    void generatesRsaKeysOf3072BitsByDefault() throws Exception {
        String publicKey = post("/api/credentials/generate", Map.of("name", "rsa", "type", "rsa")).statusCode(201)
                .body("type", equalTo("ssh-rsa")).body("bits", equalTo(3072))
                .extract().path("public_key");
        assertEquals(KeyGen.withoutComment(publicKey), KeyGen.derivePublic(storedPrivateKey("rsa")));
        post("/api/credentials/generate", Map.of("name", "rsa2", "type", "rsa", "bits", 2048)).statusCode(201)
                .body("bits", equalTo(2048));
    }

    static Stream<Arguments> refusedGenerations() {
        return Stream.of(
                Arguments.of(Map.of("name", "k", "type", "dsa"), "type", "must be ed25519 or rsa"),
                Arguments.of(Map.of("name", "k", "type", "rsa", "bits", 1024), "bits", "2048 to 8192"),
                Arguments.of(Map.of("name", "k", "type", "rsa", "bits", 16384), "bits", "2048 to 8192"),
                Arguments.of(Map.of("name", "k", "type", "ed25519", "bits", 512), "bits", "always have 256 bits"),
                Arguments.of(Map.of("name", "bad name"), "name", "1 to 63 characters"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("refusedGenerations")
    void refusesABadGenerateRequestAndNamesTheField(Map<String, Object> body, String field, String message) {
        post("/api/credentials/generate", body).statusCode(400)
                .body("errors[0].field", equalTo(field))
                .body("errors[0].message", containsString(message));
    }

    static Stream<Arguments> importableKeys() {
        return Stream.of(
                Arguments.of("ed25519", 0, null, null),
                Arguments.of("ed25519", 0, "correct horse", null),
                Arguments.of("ecdsa", 384, null, null),
                Arguments.of("rsa", 3072, null, "PEM"),
                Arguments.of("rsa", 2048, "pem passphrase", "PEM"),
                Arguments.of("rsa", 2048, null, "PKCS8"),
                Arguments.of("ecdsa", 256, null, "PEM"));
    }

    @ParameterizedTest(name = "{0} {1} passphrase={2} format={3}")
    @MethodSource("importableKeys")
    void importsOpenSshAndPemPrivateKeysWithTheirPassphrase(String type, int bits, String passphrase, String format)
            throws Exception {
        Path key = KeyGen.generate(tmp, type, bits, passphrase, format, "imported");
        String[] expected = KeyGen.fingerprintLine(Path.of(key + ".pub")).split(" ");
        Map<String, Object> body = new HashMap<>();
        body.put("name", "imported");
        body.put("private_key", KeyGen.read(key));
        if (passphrase != null) {
            body.put("passphrase", passphrase);
        }
        post("/api/credentials/import", body).statusCode(201)
                .body("kind", equalTo("key"))
                .body("fingerprint", equalTo(expected[1]))
                .body("bits", equalTo(Integer.parseInt(expected[0])));
        assertEquals(KeyGen.withoutComment(KeyGen.publicLine(key)), KeyGen.derivePublic(storedPrivateKey("imported")),
                "stored unencrypted in OpenSSH format");
    }

    @Test
    void refusesAnEncryptedKeyWithoutOrWithAWrongPassphrase() {
        Path key = KeyGen.generate(tmp, "ed25519", 0, "right", null, "x");
        post("/api/credentials/import", Map.of("name", "k", "private_key", KeyGen.read(key))).statusCode(400)
                .body("errors[0].field", equalTo("private_key"))
                .body("errors[0].message", containsString("give its passphrase"));
        post("/api/credentials/import", Map.of("name", "k", "private_key", KeyGen.read(key), "passphrase", "wrong"))
                .statusCode(400)
                .body("errors[0].field", equalTo("private_key"))
                .body("errors[0].message", containsString("does not open with this passphrase"));
    }

    @Test
    void refusesAPublicKeyGarbageAndSmallRsaAsPrivateKeys() {
        post("/api/credentials/import", Map.of("name", "k", "private_key", TestKeys.ED25519)).statusCode(400)
                .body("errors[0].message", containsString("is a public key"));
        post("/api/credentials/import", Map.of("name", "k", "private_key", "hello")).statusCode(400)
                .body("errors[0].message", containsString("not an OpenSSH or PEM private key"));
        Path small = KeyGen.generate(tmp, "rsa", 1024, null, null, "x");
        post("/api/credentials/import", Map.of("name", "k", "private_key", KeyGen.read(small))).statusCode(400)
                .body("errors[0].message", containsString("at least 2048 bits"));
    }

    @Test
    void importsAPasswordAndShowsNoPublicKeyForIt() {
        post("/api/credentials/import", Map.of("name", "legacy", "password", "s3cret-Pa55word")).statusCode(201)
                .body("kind", equalTo("password"))
                .body("public_key", equalTo(null))
                .body(not(containsString("s3cret")));
        given().get("/api/credentials/legacy/public-key").then().statusCode(409)
                .body("detail", containsString("is a password"));
    }

    @Test
    void wantsEitherAKeyOrAPassword() {
        post("/api/credentials/import", Map.of("name", "k")).statusCode(400).body("errors[0].field", equalTo("private_key"));
        post("/api/credentials/import", Map.of("name", "k", "password", "p", "private_key", "x")).statusCode(400)
                .body("errors[0].field", equalTo("password"));
        post("/api/credentials/import", Map.of("name", "k", "password", "p", "passphrase", "x")).statusCode(400)
                .body("errors.field", contains("passphrase"));
    }

    @Test
    void neverOverwritesACredentialThatHasASecret() {
        post("/api/credentials/generate", Map.of("name", "deployer")).statusCode(201);
        post("/api/credentials/generate", Map.of("name", "deployer")).statusCode(409);
        post("/api/credentials/import", Map.of("name", "deployer", "password", "x")).statusCode(409);
    }

    @Test
    void listsCredentialsWithThePlatformsThatUseThemAndRefusesToDeleteAUsedOne() {
        post("/api/credentials/generate", Map.of("name", "deployer")).statusCode(201);
        post("/api/credentials/generate", Map.of("name", "spare")).statusCode(201);
        post("/api/platforms", platformBody("web-01")).statusCode(201);
        given().get("/api/credentials").then().statusCode(200)
                .body("items.name", contains("deployer", "spare"))
                .body("items[0].platforms", contains("web-01"));
        given().delete("/api/credentials/deployer").then().statusCode(409).body("detail", containsString("web-01"));
        given().delete("/api/credentials/spare").then().statusCode(204);
        given().get("/api/credentials/spare").then().statusCode(404);
    }

    @Test
    void neverAnswersWithSecretMaterial() {
        Path key = KeyGen.generate(tmp, "ed25519", 0, "pass-phrase-x", null, "x");
        String privateKey = KeyGen.read(key);
        String body = post("/api/credentials/import",
                Map.of("name", "k", "private_key", privateKey, "passphrase", "pass-phrase-x")).statusCode(201)
                .extract().asString();
        String list = given().get("/api/credentials").then().extract().asString();
        for (String answer : List.of(body, list, given().get("/api/credentials/k").then().extract().asString())) {
            org.junit.jupiter.api.Assertions.assertFalse(answer.contains("PRIVATE KEY"), answer);
            org.junit.jupiter.api.Assertions.assertFalse(answer.contains("pass-phrase-x"), answer);
            org.junit.jupiter.api.Assertions.assertFalse(answer.contains("\"secret\""), answer);
        }
    }
}

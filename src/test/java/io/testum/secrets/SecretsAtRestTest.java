package io.testum.secrets;

import static io.testum.testing.Fixtures.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.testum.testing.KeyGen;
import io.testum.testing.Auth;
import io.testum.testing.PostgresResource;
import io.testum.testing.TestDatabase;

/** Reads the database as an intruder with psql would, after secrets went in through the API. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class SecretsAtRestTest {

    private static final String PASSWORD = "Tr0ub4dor&3-not-in-the-db";

    @TempDir
    Path tmp;

    @BeforeEach
    void reset() {
        Auth.asAdmin();
        TestDatabase.reset();
    }

    @Test
    void storesNoPrivateKeyTextAndNoPasswordInClear() {
        Path key = KeyGen.generate(tmp, "ed25519", 0, null, null, "x");
        String privateKey = KeyGen.read(key);
        String keyBody = privateKey.lines().filter(l -> !l.startsWith("-----")).reduce("", String::concat);
        post("/api/credentials/import", Map.of("name", "imported", "private_key", privateKey)).statusCode(201);
        post("/api/credentials/import", Map.of("name", "pw", "password", PASSWORD)).statusCode(201);
        post("/api/credentials/generate", Map.of("name", "generated")).statusCode(201);

        String dump = TestDatabase.rows("SELECT c::text FROM credentials c").toString()
                + TestDatabase.rows("SELECT encode(secret, 'escape') FROM credentials").toString();
        assertFalse(dump.contains("PRIVATE KEY"), "no PEM armour in the rows");
        assertFalse(dump.contains(keyBody.substring(0, 40)), "no base64 of the imported key");
        assertFalse(dump.contains(PASSWORD), "no password");
        assertFalse(dump.contains(Base64.getEncoder().encodeToString(PASSWORD.getBytes())), "no base64 password");
    }

    @Test
    void sealsEachValueWithAFreshNonce() {
        post("/api/credentials/import", Map.of("name", "a", "password", PASSWORD)).statusCode(201);
        post("/api/credentials/import", Map.of("name", "b", "password", PASSWORD)).statusCode(201);
        List<List<String>> rows = TestDatabase.rows(
                "SELECT encode(substring(secret from 2 for 12), 'hex'), length(secret) FROM credentials ORDER BY name");
        assertNotEquals(rows.get(0).get(0), rows.get(1).get(0), "nonces differ");
        assertEquals(String.valueOf(1 + 12 + PASSWORD.length() + 16), rows.get(0).get(1), "version, nonce, ciphertext, tag");
    }
}

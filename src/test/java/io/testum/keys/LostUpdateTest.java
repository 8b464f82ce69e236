package io.testum.keys;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static io.testum.testing.Fixtures.put;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.testum.common.ConflictException;
import io.testum.testing.Auth;
import io.testum.testing.PostgresResource;
import io.testum.testing.TestDatabase;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * A write names the version it read: one that would overwrite a change it never saw (another
 * request's, committed in between) is refused with 409 and leaves that change in place.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class LostUpdateTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    SshKeyRepository keys;

    @Inject
    Pool pool;

    @BeforeEach
    void reset() {
        Auth.asAdmin();
        TestDatabase.reset();
    }

    @Test
    void aWriteOverAChangeItDidNotReadIsRefusedAndTheChangeStays() {
        post("/api/keys", Map.of("name", "alice", "public_key", TestKeys.ED25519)).statusCode(201);
        SshKey read = keys.findByName(pool, "alice").await().atMost(WAIT);
        put("/api/keys/alice", Map.of("public_key", TestKeys.ED25519, "description", "changed meanwhile")).statusCode(200);

        read.description = "stale";
        read.touch();
        ConflictException refused = assertThrows(ConflictException.class, () -> read.save(pool).await().atMost(WAIT));

        assertEquals("key 'alice' was changed or deleted by another request at the same moment; read it again and retry",
                refused.getMessage());
        given().get("/api/keys/alice").then().statusCode(200).body("description", equalTo("changed meanwhile"));
        assertEquals("1", TestDatabase.rows("SELECT version FROM ssh_keys WHERE name = 'alice'").get(0).get(0));
    }

    @Test
    void aDeleteOfAChangedObjectIsRefused() {
        post("/api/keys", Map.of("name", "alice", "public_key", TestKeys.ED25519)).statusCode(201);
        SshKey read = keys.findByName(pool, "alice").await().atMost(WAIT);
        put("/api/keys/alice", Map.of("public_key", TestKeys.ED25519, "description", "changed meanwhile")).statusCode(200);

        assertThrows(ConflictException.class, () -> read.delete(pool).await().atMost(WAIT));

        given().get("/api/keys/alice").then().statusCode(200);
    }
}

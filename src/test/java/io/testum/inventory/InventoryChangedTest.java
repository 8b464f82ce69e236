package io.testum.inventory;

import static io.testum.testing.Fixtures.post;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.testum.keys.TestKeys;
import io.testum.testing.Auth;
import io.testum.testing.Fixtures;
import io.testum.testing.PostgresResource;
import io.testum.testing.TestDatabase;

/**
 * Changes to the inventory announce themselves as {@link InventoryChanged} events once they are
 * committed, whichever door they came in by (API or web form), and a refused change announces nothing.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class InventoryChangedTest {

    /** Records each event with what the database held when it arrived. */
    @ApplicationScoped
    static class Recorder {

        record Seen(Set<InventoryChanged.What> what, int keysInDatabase, int platformsInDatabase) {
        }

        static final List<Seen> SEEN = new CopyOnWriteArrayList<>();

        void on(@Observes InventoryChanged change) {
            SEEN.add(new Seen(change.what(), count("ssh_keys"), count("platforms")));
        }

        private static int count(String table) {
            return Integer.parseInt(TestDatabase.rows("SELECT count(*) FROM " + table).get(0).get(0));
        }
    }

    @BeforeEach
    void reset() {
        Auth.asAdmin();
        TestDatabase.reset();
        Recorder.SEEN.clear();
    }

    @Test
    void aKeyMadeThroughTheApiIsAnnouncedAfterItsCommit() {
        post("/api/keys", Map.of("name", "alice", "public_key", TestKeys.ED25519)).statusCode(201);

        assertEquals(List.of(new Recorder.Seen(Set.of(InventoryChanged.What.KEYS), 1, 0)), Recorder.SEEN);
    }

    @Test
    void aPlatformDeletedThroughAWebFormIsAnnouncedAfterItsCommit() {
        Fixtures.credential("deployer");
        Fixtures.platform("web-1", Map.of());
        Recorder.SEEN.clear();

        String admin = Auth.adminToken();
        Auth.anonymous();
        RestAssured.given().redirects().follow(false).cookie("testum_access", admin)
                .formParam("csrf", Auth.csrfOf(admin)).post("/platforms/web-1/delete").then().statusCode(303);

        assertEquals(List.of(new Recorder.Seen(Set.of(InventoryChanged.What.PLATFORMS), 0, 0)), Recorder.SEEN);
    }

    @Test
    void aRefusedChangeAnnouncesNothing() {
        post("/api/keys", Map.of("name", "alice", "public_key", TestKeys.ED25519)).statusCode(201);
        Recorder.SEEN.clear();

        post("/api/keys", Map.of("name", "alice2", "public_key", TestKeys.ED25519)).statusCode(409);
        RestAssured.given().delete("/api/platforms/none").then().statusCode(404);

        assertEquals(List.of(), Recorder.SEEN);
    }
}

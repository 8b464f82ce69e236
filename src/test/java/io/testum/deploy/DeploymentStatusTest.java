package io.testum.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Each deployment status and hold has one word, the same in the API, the database and the UI. */
class DeploymentStatusTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everyStatusHasTheWordTheDatabaseAllows() throws Exception {
        // The CHECK constraint of deployments.status (V3__deployments.sql), in its order.
        assertEquals(List.of("in_sync", "pending", "drifted", "failed", "unreachable", "host_key_mismatch"),
                DeploymentStatus.words());
        for (DeploymentStatus status : DeploymentStatus.values()) {
            assertEquals(status, DeploymentStatus.of(status.wire()));
            assertEquals("\"" + status.wire() + "\"", json.writeValueAsString(status));
            assertEquals(status, json.readValue("\"" + status.wire() + "\"", DeploymentStatus.class));
        }
        assertThrows(IllegalArgumentException.class, () -> DeploymentStatus.of("IN_SYNC"));
    }

    @Test
    void aHoldIsCollisionOrRefused() {
        assertEquals(DeploymentHold.COLLISION, DeploymentHold.of("collision"));
        assertEquals(DeploymentHold.REFUSED, DeploymentHold.of("refused"));
        assertEquals(null, DeploymentHold.of(null));
        assertThrows(IllegalArgumentException.class, () -> DeploymentHold.of("collision:"));
    }
}

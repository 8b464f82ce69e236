package io.testum.deploy;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why a pair's deployment is held back rather than failed: no retry deploys it until the inventory
 * changes. Stored in {@code deployments.hold}; the pair's status is {@code failed}, and its error says
 * what to do.
 */
public enum DeploymentHold {
    /** Several platforms have the same address, so none of them is written. */
    COLLISION("collision"),
    /** A grant puts options on testum's own key: writing the block would lock testum out. */
    REFUSED("refused");

    private final String wire;

    DeploymentHold(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** The hold a stored word stands for; null for null. */
    public static DeploymentHold of(String wire) {
        if (wire == null) {
            return null;
        }
        for (DeploymentHold hold : values()) {
            if (hold.wire.equals(wire)) {
                return hold;
            }
        }
        throw new IllegalArgumentException("'" + wire + "' is not a deployment hold");
    }
}

package io.testum.deploy;

import com.fasterxml.jackson.annotation.JsonValue;

import io.testum.common.WireWord;

/**
 * Why a pair's deployment is held back rather than failed: no retry deploys it until the inventory
 * changes. Stored in {@code deployments.hold}; the pair's status is {@code failed}, and its error says
 * what to do.
 */
public enum DeploymentHold implements WireWord {
    /** Several platforms have the same address, so none of them is written. */
    COLLISION("collision"),
    /** A grant puts options on testum's own key: writing the block would lock testum out. */
    REFUSED("refused");

    private final String wire;

    DeploymentHold(String wire) {
        this.wire = wire;
    }

    @JsonValue
    @Override
    public String wire() {
        return wire;
    }

    /** The hold a stored word stands for; null for null. */
    public static DeploymentHold of(String wire) {
        if (wire == null) {
            return null;
        }
        return WireWord.parse(DeploymentHold.class, wire, "a deployment hold");
    }
}

package io.testum.deploy;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why an interval of the access history ended: what testum saw. */
public enum IntervalEnd {
    /** testum wrote another block, and proved it in place. */
    DEPLOYED("deployed"),
    /** A read found another block on the host than this one, which testum did not write. */
    CHANGED_ON_HOST("changed_on_host"),
    /** A read found the key outside the block gone. */
    REMOVED_FROM_HOST("removed_from_host"),
    /** The platform left testum; what its files hold since then, testum does not know. */
    PLATFORM_DELETED("platform_deleted");

    private final String wire;

    IntervalEnd(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    static IntervalEnd of(String wire) {
        for (IntervalEnd end : values()) {
            if (end.wire.equals(wire)) {
                return end;
            }
        }
        throw new IllegalArgumentException("'" + wire + "' is not an interval end");
    }
}

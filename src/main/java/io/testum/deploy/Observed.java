package io.testum.deploy;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What an interval of the access history records testum saw on the host. */
public enum Observed {
    /** The block testum deployed. */
    MANAGED("managed"),
    /** A block found changed on the host: not what testum deployed. */
    DRIFT("drift"),
    /** One key outside the block. */
    UNMANAGED("unmanaged");

    private final String wire;

    Observed(String wire) {
        this.wire = wire;
    }

    /** The word the API and the database use. */
    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static Observed of(String wire) {
        for (Observed observed : values()) {
            if (observed.wire.equals(wire)) {
                return observed;
            }
        }
        throw new IllegalArgumentException("'" + wire + "' is not managed, drift or unmanaged");
    }

    /** Every word, in declaration order. */
    public static List<String> words() {
        return java.util.Arrays.stream(values()).map(Observed::wire).toList();
    }
}

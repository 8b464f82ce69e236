package io.testum.inventory;

import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Whether a platform's SSH port answered the last reachability check: the one place each state is
 * mapped to its word in the API, the database ({@code platforms.reachability}) and the UI.
 */
public enum Reachability {
    /** The port answered. */
    REACHABLE("reachable"),
    /** The port did not answer, or refused. */
    UNREACHABLE("unreachable"),
    /** Not checked yet. */
    UNKNOWN("unknown");

    private final String wire;

    Reachability(String wire) {
        this.wire = wire;
    }

    /** The word the API, the database and the UI use. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** The state a stored or sent word stands for. */
    @JsonCreator
    public static Reachability of(String wire) {
        for (Reachability r : values()) {
            if (r.wire.equals(wire)) {
                return r;
            }
        }
        throw new IllegalArgumentException("'" + wire + "' is not a reachability");
    }

    /** Every word, in declaration order. */
    public static List<String> words() {
        return Arrays.stream(values()).map(Reachability::wire).toList();
    }
}

package io.testum.inventory;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.testum.common.WireWord;

/**
 * Whether a platform's SSH port answered the last reachability check: the one place each state is
 * mapped to its word in the API, the database ({@code platforms.reachability}) and the UI.
 */
public enum Reachability implements WireWord {
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
    @Override
    public String wire() {
        return wire;
    }

    /** The state a stored or sent word stands for. */
    @JsonCreator
    public static Reachability of(String wire) {
        return WireWord.parse(Reachability.class, wire, "a reachability");
    }

    /** Every word, in declaration order. */
    public static List<String> words() {
        return WireWord.words(Reachability.class);
    }
}

package io.testum.common;

import java.util.Arrays;
import java.util.List;

/**
 * A typed status that the API, the database and the UI know by one word each: the one lookup from
 * a word back to its constant, shared by every such enum.
 */
public interface WireWord {

    /** The word the API, the database and the UI use. */
    String wire();

    /**
     * The constant of {@code type} whose word is {@code wire}.
     *
     * @param what how an error names the kind, e.g. "a deployment status"
     * @throws IllegalArgumentException when no constant has that word
     */
    static <E extends Enum<E> & WireWord> E parse(Class<E> type, String wire, String what) {
        for (E constant : type.getEnumConstants()) {
            if (constant.wire().equals(wire)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("'" + wire + "' is not " + what);
    }

    /** Every word of {@code type}, in declaration order. */
    static <E extends Enum<E> & WireWord> List<String> words(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(WireWord::wire).toList();
    }
}

package io.testum.common;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A copy of an exception, for the log, whose messages pass through a filter: the class names and
 * stack frames of the whole cause chain stay, the text does not unless the filter keeps it. An
 * exception's message can quote anything its code touched (a file it was pointed at, a URL with a
 * token), so an unexpected failure is logged without it.
 */
public final class Redacted extends RuntimeException {

    private static final int MAX_DEPTH = 20;

    private final String original;

    private Redacted(String original, String message, Redacted cause) {
        super(message, cause, false, true);
        this.original = original;
    }

    /** {@code e} with every message of its chain withheld. */
    public static Throwable withoutMessages(Throwable e) {
        return copy(e, message -> null);
    }

    /** {@code e} with every message of its chain replaced by {@code filter}'s result (null: withheld). */
    public static Throwable copy(Throwable e, UnaryOperator<String> filter) {
        return copy(e, filter, new IdentityHashMap<>(), 0);
    }

    private static Redacted copy(Throwable e, UnaryOperator<String> filter, Map<Throwable, Redacted> seen, int depth) {
        if (e == null || depth > MAX_DEPTH) {
            return null;
        }
        Redacted known = seen.get(e);
        if (known != null) {
            return known;
        }
        String message = e.getMessage() == null ? null : filter.apply(e.getMessage());
        Redacted cause = e.getCause() == e ? null : copy(e.getCause(), filter, seen, depth + 1);
        Redacted copy = new Redacted(e.getClass().getName(), message, cause);
        copy.setStackTrace(e.getStackTrace());
        seen.put(e, copy);
        return copy;
    }

    @Override
    public String toString() {
        String message = getMessage();
        return message == null ? original + " (message withheld)" : original + ": " + message;
    }
}

package io.testum.common;

import java.util.function.Function;

/** The named object does not exist: 404. */
public class NotFoundException extends ProblemException {

    public NotFoundException(String kind, String name) {
        super(404, "not-found", "Not found", kind + " '" + name + "' does not exist", null);
    }

    /** Passes a found object on; throws for null, which is how a repository says "no such name". */
    public static <T> Function<T, T> ifMissing(String kind, String name) {
        return found -> {
            if (found == null) {
                throw new NotFoundException(kind, name);
            }
            return found;
        };
    }
}

package io.testum.common;

/** The named object does not exist: 404. */
public class NotFoundException extends ProblemException {

    public NotFoundException(String kind, String name) {
        super(404, "not-found", "Not found", kind + " '" + name + "' does not exist", null);
    }
}

package io.testum.common;

import java.util.List;
import java.util.Map;

/**
 * A domain failure that the API reports as problem details. Services throw the subclasses;
 * {@link ProblemMapper} turns them into responses.
 */
public abstract class ProblemException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final List<FieldError> errors;

    protected ProblemException(int status, String type, String title, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = errors;
    }

    public Problem toProblem() {
        return new Problem("urn:testum:problem:" + type, title, status, getMessage(), errors);
    }

    /** Headers the answer carries besides the body, e.g. {@code Retry-After}. */
    public Map<String, String> headers() {
        return Map.of();
    }

    public int status() {
        return status;
    }

    public List<FieldError> errors() {
        return errors;
    }
}

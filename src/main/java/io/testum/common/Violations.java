package io.testum.common;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every broken rule of one input, so that the answer lists them all rather than the
 * first. Validators add to it; the service throws once at the end.
 */
public final class Violations {

    private final List<FieldError> errors;
    private final String prefix;

    public Violations() {
        this(new ArrayList<>(), "");
    }

    private Violations(List<FieldError> errors, String prefix) {
        this.errors = errors;
        this.prefix = prefix;
    }

    /** Refuses a request without a body. */
    public static <T> T body(T body) {
        if (body == null) {
            throw new ValidationException("body", "is required: send a JSON object");
        }
        return body;
    }

    /** Records {@code message} against {@code field}. */
    public Violations add(String field, String message) {
        errors.add(FieldError.field(prefix + field, message));
        return this;
    }

    /** Records {@code message} against {@code field} unless {@code valid}. Returns {@code valid}. */
    public boolean check(boolean valid, String field, String message) {
        if (!valid) {
            add(field, message);
        }
        return valid;
    }

    /** Requires a non-blank value; returns whether it was there. */
    public boolean required(String value, String field) {
        return check(value != null && !value.isBlank(), field, "is required");
    }

    /** A view that records into the same list, with {@code prefix} before each field name. */
    public Violations nested(String prefix) {
        return new Violations(errors, this.prefix + prefix);
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public List<FieldError> errors() {
        return List.copyOf(errors);
    }

    /** Throws a {@link ValidationException} listing everything recorded so far, if anything. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }
}

package io.testum.common;

import java.util.List;

/** Input that breaks one or more rules: 400, with every broken rule listed. */
public class ValidationException extends ProblemException {

    public ValidationException(List<FieldError> errors) {
        super(400, "validation", "Invalid input", summary(errors), List.copyOf(errors));
    }

    public ValidationException(String field, String message) {
        this(List.of(FieldError.field(field, message)));
    }

    private static String summary(List<FieldError> errors) {
        if (errors.size() == 1) {
            FieldError e = errors.get(0);
            return (e.field() != null ? e.field() + ": " : "") + e.message();
        }
        return errors.size() + " problems; see errors";
    }
}

package io.testum.gitops;

import java.util.List;

import io.testum.common.FieldError;
import io.testum.common.ProblemException;

/**
 * A restore whose document is valid but does not fit the inventory: a name that a GitOps source
 * manages, a reference to nothing, a public key already stored under another name. 409, with every
 * problem at its file, line and column; nothing is applied.
 */
public class RestoreConflictException extends ProblemException {

    public RestoreConflictException(List<FieldError> errors) {
        super(409, "conflict", "Conflict", summary(errors), List.copyOf(errors));
    }

    private static String summary(List<FieldError> errors) {
        FieldError first = errors.get(0);
        String place = first.file() + ":" + first.line() + ":" + first.column() + ": " + first.message();
        return errors.size() == 1
                ? "The backup does not fit the inventory, nothing was restored: " + place
                : errors.size() + " problems, nothing was restored; the first: " + place;
    }
}

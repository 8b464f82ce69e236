package io.testum.gitops;

import java.util.List;

import io.testum.common.FieldError;
import io.testum.common.ProblemException;

/**
 * A desired-state document that cannot be applied: 400, with every problem listed by file, line and
 * column. A source whose revision fails this way stalls until a new commit arrives.
 */
public class DocumentException extends ProblemException {

    public DocumentException(List<FieldError> errors) {
        super(400, "invalid-document", "Invalid desired-state document", summary(errors), List.copyOf(errors));
    }

    private static String summary(List<FieldError> errors) {
        if (errors.isEmpty()) {
            return "The desired-state document is invalid";
        }
        FieldError first = errors.get(0);
        String place = first.file() + ":" + first.line() + ":" + first.column() + ": " + first.message();
        return errors.size() == 1
                ? "1 problem in the desired-state document: " + place
                : errors.size() + " problems in the desired-state document; the first: " + place;
    }
}

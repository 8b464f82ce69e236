package io.testum.gitops;

import java.util.List;

import io.testum.common.FieldError;
import io.testum.common.ProblemException;

/** Placeholder until the parser lands. */
public class DocumentException extends ProblemException {
    public DocumentException(List<FieldError> errors) {
        super(400, "invalid-document", "Invalid desired-state document", errors.size() + " problems", errors);
    }
}

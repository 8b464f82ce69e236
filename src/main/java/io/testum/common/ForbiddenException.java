package io.testum.common;

/** The caller is signed in, but its role does not allow this: 403. */
public class ForbiddenException extends ProblemException {

    public ForbiddenException(String detail) {
        super(403, "forbidden", "Forbidden", detail, null);
    }
}

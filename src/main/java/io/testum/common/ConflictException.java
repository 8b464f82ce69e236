package io.testum.common;

/** The request clashes with the current state (a name taken, an object in use, Git ownership): 409. */
public class ConflictException extends ProblemException {

    public ConflictException(String detail) {
        super(409, "conflict", "Conflict", detail, null);
    }
}

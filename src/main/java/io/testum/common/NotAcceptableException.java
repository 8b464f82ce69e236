package io.testum.common;

import java.util.List;

/** The client's {@code Accept} header rules out the only representation the request can have: 406. */
public class NotAcceptableException extends ProblemException {

    public NotAcceptableException(String detail) {
        super(406, "not-acceptable", "Not acceptable", detail, List.of());
    }
}

package io.testum.common;

import java.util.Map;

/** The caller is not signed in, or its credentials are not valid (any more): 401. */
public class UnauthorizedException extends ProblemException {

    public UnauthorizedException(String detail) {
        super(401, "unauthorized", "Unauthorized", detail, null);
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("WWW-Authenticate", "Bearer realm=\"testum\"");
    }
}

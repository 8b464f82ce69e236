package io.testum.common;

import java.util.Map;

/** Too many attempts: 429, with {@code Retry-After} in seconds. */
public class TooManyRequestsException extends ProblemException {

    private final long retryAfterSeconds;

    public TooManyRequestsException(String detail, long retryAfterSeconds) {
        super(429, "too-many-requests", "Too Many Requests", detail, null);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Retry-After", Long.toString(retryAfterSeconds));
    }
}

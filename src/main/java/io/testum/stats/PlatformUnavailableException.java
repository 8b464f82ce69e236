package io.testum.stats;

import io.testum.common.ProblemException;

/**
 * testum could not get an answer from the platform over SSH (unreachable, refused login, host
 * key mismatch, a command that timed out or answered nonsense): 502 Bad Gateway, since the
 * request was fine and the host behind testum failed.
 */
class PlatformUnavailableException extends ProblemException {

    PlatformUnavailableException(String detail) {
        super(502, "platform-unavailable", "Bad Gateway", detail, null);
    }
}

package io.testum.stats;

/** A host answered a command with output that testum cannot read; the message says what was missing or wrong. */
class UnreadableOutputException extends RuntimeException {

    UnreadableOutputException(String message) {
        super(message);
    }
}

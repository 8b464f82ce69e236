package io.testum.ssh;

/** Key text that testum refuses; the message says why, in words an operator can act on. */
public class InvalidKeyException extends IllegalArgumentException {

    public InvalidKeyException(String message) {
        super(message);
    }
}

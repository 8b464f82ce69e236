package io.testum.cli;

/** The command line is wrong: testumctl says why and exits with 2. */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}

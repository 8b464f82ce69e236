package io.testum.cli;

/**
 * The command line is wrong in a way that only shows while a command runs (a URL without a scheme, a
 * source that must be named): testumctl says why and exits with 2, as for a parse error.
 */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}

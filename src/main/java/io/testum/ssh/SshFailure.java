package io.testum.ssh;

/**
 * An SSH operation that did not succeed, classified the way deployments report it.
 */
public class SshFailure extends RuntimeException {

    /** What went wrong. */
    public enum Kind {
        /** No TCP connection, or no SSH server answering in time. */
        UNREACHABLE,
        /** The host presented another key than the pinned one. */
        HOST_KEY_MISMATCH,
        /** The host refused testum's credential. */
        AUTHENTICATION,
        /**
         * A file testum must not touch: a symbolic link, not owned by the account, not a regular
         * file, or a path or account name outside the rules.
         */
        REFUSED,
        /** A remote command or file operation exceeded its time. */
        TIMEOUT,
        /** Anything else: a file operation refused, a broken connection. */
        FAILED
    }

    private final Kind kind;

    public SshFailure(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public SshFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

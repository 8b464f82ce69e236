package io.testum.ssh;

/** Quoting for the POSIX shell that runs testum's commands on a host. */
public final class Shell {

    private Shell() {
    }

    /** {@code value} as one shell word, taken literally: in single quotes, each {@code '} written as {@code '\''}. */
    public static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}

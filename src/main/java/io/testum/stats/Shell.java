package io.testum.stats;

/** Quoting for the POSIX shell that runs testum's commands on a host. */
final class Shell {

    private Shell() {
    }

    /** {@code value} as one shell word, taken literally: in single quotes, each {@code '} written as {@code '\''}. */
    static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}

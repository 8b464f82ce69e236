package io.testum.auth;

/** What a user or token may do; each role includes the ones before it. */
public enum Role {
    /** Reads everything except secrets and users. */
    VIEWER,
    /** Also runs commands, triggers syncs and edits API-managed inventory. */
    OPERATOR,
    /** Also manages users, tokens, credentials, sources, host keys and restores. */
    ADMIN;

    public boolean includes(Role other) {
        return ordinal() >= other.ordinal();
    }
}

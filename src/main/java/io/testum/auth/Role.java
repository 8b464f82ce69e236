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

    /** How the API writes the role: {@code viewer}, {@code operator}, {@code admin}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The role with this label, if any. */
    public static java.util.Optional<Role> ofLabel(String label) {
        for (Role role : values()) {
            if (role.label().equals(label)) {
                return java.util.Optional.of(role);
            }
        }
        return java.util.Optional.empty();
    }
}

package io.testum.auth;

import java.time.Instant;

/** A person or robot that signs in. The password hash never leaves the auth package. */
public record User(long id, String username, String passwordHash, Role role, boolean enabled, Instant createdAt,
        Instant updatedAt, Instant lastLoginAt) {

    @Override
    public String toString() {
        return "User[" + username + ", " + role.label() + (enabled ? "" : ", disabled") + "]";
    }
}

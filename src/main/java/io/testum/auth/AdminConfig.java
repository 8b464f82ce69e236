package io.testum.auth;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The first admin, created when the users table is empty. */
@ConfigMapping(prefix = "testum.admin")
public interface AdminConfig {

    /** User name of the first admin. */
    @WithDefault("admin")
    String username();

    /**
     * Password of the first admin (at least 12 characters). Unset: a random one is generated,
     * logged once, and written to {@code data-dir/initial-admin-password} (mode 0600).
     */
    Optional<String> password();
}

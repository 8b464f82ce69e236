package io.testum.secrets;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where testum keeps local state, and the key that encrypts secrets at rest. */
@ConfigMapping(prefix = "testum")
public interface SecretsConfig {

    /** Embedded database, generated keys and the first admin's password live here. */
    @WithDefault("./testum-data")
    Path dataDir();

    /**
     * Base64 of 32 random bytes; encrypts secrets at rest (AES-256-GCM). Unset: generated once
     * into {@code data-dir/master.key} (mode 0600).
     */
    Optional<String> masterKey();
}

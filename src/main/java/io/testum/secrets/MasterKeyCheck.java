package io.testum.secrets;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.runtime.StartupEvent;
import io.testum.db.DatabaseConfig;

/**
 * Refuses to start with a master key other than the one that sealed this database's secrets.
 * The first start seals a known value; every later start must open it. A wrong key would
 * otherwise surface much later as failed deployments, or as new secrets that no replica shares.
 */
@Singleton
public class MasterKeyCheck {

    static final String STATE_KEY = "master_key_check";
    private static final String PURPOSE = "master-key-check";
    private static final byte[] KNOWN = "testum master key check".getBytes(StandardCharsets.UTF_8);

    private final SealedState state;
    private final SecretCipher cipher;
    private final SecretsConfig config;
    private final Duration databaseWait;

    public MasterKeyCheck(SealedState state, SecretCipher cipher, SecretsConfig config, DatabaseConfig database) {
        this.state = state;
        this.cipher = cipher;
        this.config = config;
        this.databaseWait = database.waitTimeout();
    }

    void onStart(@Observes StartupEvent event) {
        byte[] sealed = state.storeIfAbsent(STATE_KEY, cipher.encrypt(KNOWN, PURPOSE)).await().atMost(databaseWait);
        try {
            cipher.decrypt(sealed, PURPOSE);
        } catch (SecretCipher.SecretDecryptionException e) {
            String origin = config.masterKey().isPresent() ? "testum.master-key"
                    : config.dataDir().resolve(MasterKey.FILE_NAME).toAbsolutePath().toString();
            throw new WrongMasterKeyException("The master key (" + origin + ") is not the key that encrypted the secrets "
                    + "in this database. Start testum with the original key (testum.master-key or data-dir/"
                    + MasterKey.FILE_NAME + "); testum does not start with another one, so no secret is lost or "
                    + "re-encrypted under the wrong key.");
        }
    }

    /** Startup stops here: the configured master key does not open this database's secrets. */
    public static final class WrongMasterKeyException extends IllegalStateException {
        WrongMasterKeyException(String message) {
            super(message);
        }
    }
}

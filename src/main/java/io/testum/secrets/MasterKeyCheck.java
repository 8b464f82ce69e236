package io.testum.secrets;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.runtime.StartupEvent;
import io.testum.db.DatabaseConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

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

    private final Pool pool;
    private final SecretCipher cipher;
    private final SecretsConfig config;
    private final Duration databaseWait;

    public MasterKeyCheck(Pool pool, SecretCipher cipher, SecretsConfig config, DatabaseConfig database) {
        this.pool = pool;
        this.cipher = cipher;
        this.config = config;
        this.databaseWait = database.waitTimeout();
    }

    void onStart(@Observes StartupEvent event) {
        pool.preparedQuery("INSERT INTO app_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
                .execute(Tuple.of(STATE_KEY, cipher.encrypt(KNOWN, PURPOSE)))
                .await().atMost(databaseWait);
        Row row = pool.preparedQuery("SELECT value FROM app_state WHERE key = $1")
                .execute(Tuple.of(STATE_KEY)).await().atMost(databaseWait).iterator().next();
        try {
            cipher.decrypt(row.getBuffer("value").getBytes(), PURPOSE);
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

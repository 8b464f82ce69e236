package io.testum.auth;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.runtime.StartupEvent;
import io.testum.common.PrivateFile;
import io.testum.db.DatabaseConfig;
import io.testum.secrets.SecretsConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Creates the first admin when the users table is empty: {@code testum.admin.username} with
 * {@code testum.admin.password}, or with a generated password that is logged once and written to
 * {@code data-dir/initial-admin-password} (mode 0600). Replicas starting together create one.
 */
@Singleton
public class FirstAdmin {

    private static final Logger LOG = Logger.getLogger(FirstAdmin.class);
    static final String PASSWORD_FILE = "initial-admin-password";

    private final Pool pool;
    private final AdminConfig admin;
    private final SecretsConfig local;
    private final Duration databaseWait;

    public FirstAdmin(Pool pool, AdminConfig admin, SecretsConfig local, DatabaseConfig database) {
        this.pool = pool;
        this.admin = admin;
        this.local = local;
        this.databaseWait = database.waitTimeout();
    }

    void onStart(@Observes StartupEvent event) {
        String password = admin.password().orElse(null);
        if (password != null && password.length() < UserService.MIN_PASSWORD) {
            throw new IllegalStateException("testum.admin.password must be at least " + UserService.MIN_PASSWORD
                    + " characters");
        }
        if (pool.query("SELECT 1 FROM users LIMIT 1").execute().await().atMost(databaseWait).iterator().hasNext()) {
            return; // not the first start: no password to hash (bcrypt costs a noticeable part of a start)
        }
        boolean generated = password == null;
        String chosen = generated ? generate() : password;
        String hash = BcryptUtil.bcryptHash(chosen);
        Boolean created = pool.withTransaction(c -> c.query("SELECT pg_advisory_xact_lock(hashtext('testum.first-admin'))")
                .execute()
                .flatMap(x -> c.preparedQuery("INSERT INTO users (username, password_hash, role) "
                        + "SELECT $1, $2, 'admin' WHERE NOT EXISTS (SELECT 1 FROM users)")
                        .execute(Tuple.of(admin.username(), hash)))
                .map(rows -> rows.rowCount() == 1))
                .await().atMost(databaseWait);
        if (!created) {
            return;
        }
        if (!generated) {
            LOG.infof("Created the first admin '%s' with the password from testum.admin.password", admin.username());
            return;
        }
        Path file = local.dataDir().resolve(PASSWORD_FILE).toAbsolutePath().normalize();
        try {
            java.nio.file.Files.createDirectories(file.getParent());
            PrivateFile.write(file, chosen + "\n");
        } catch (IOException e) {
            LOG.warnf("Could not write %s: %s", file, e.getMessage());
        }
        LOG.warnf("Created the first admin '%s' with the generated password %s (also in %s, mode 0600). "
                + "Log in and change it; this is the only time it is logged.", admin.username(), chosen, file);
    }

    private static String generate() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

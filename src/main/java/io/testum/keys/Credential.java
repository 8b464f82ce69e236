package io.testum.keys;

import java.util.List;

import io.smallrye.mutiny.Uni;
import io.testum.common.InventoryEntity;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * How testum logs in to platforms: a private key or a password, sealed under the master key. A
 * credential without a secret is a placeholder (declared in Git) until its secret arrives. A row
 * of {@code credentials}.
 */
public class Credential extends InventoryEntity {

    public static final String KIND_KEY = "key";
    public static final String KIND_PASSWORD = "password";

    static final String TABLE = "credentials";
    static final String COLUMNS = InventoryEntity.COLUMNS
            + ", kind, key_type, bits, public_key, fingerprint, secret, secret_ref, owner_platform_id";
    private static final List<String> OWN_COLUMNS = List.of("kind", "key_type", "bits", "public_key", "fingerprint", "secret",
            "secret_ref", "owner_platform_id");

    /** {@code key}, {@code password}, or null for a placeholder. */
    public String kind;
    public String keyType;
    public Integer bits;
    public String publicKey;
    public String fingerprint;
    /** AES-256-GCM ciphertext of the private key (OpenSSH format) or the password. */
    public byte[] secret;
    public String secretRef;
    /** The platform this credential belongs to (sent inline with it), or null for a credential of its own. */
    public Long ownerPlatformId;

    /** The associated data that binds this credential's ciphertext to it. */
    public static String purpose(String name) {
        return "credential:" + name;
    }

    public boolean hasSecret() {
        return secret != null;
    }

    static Credential of(Row r) {
        Credential c = new Credential();
        c.readCommon(r);
        c.kind = r.getString("kind");
        c.keyType = r.getString("key_type");
        c.bits = r.getInteger("bits");
        c.publicKey = r.getString("public_key");
        c.fingerprint = r.getString("fingerprint");
        c.secret = r.getBuffer("secret") == null ? null : r.getBuffer("secret").getBytes();
        c.secretRef = r.getString("secret_ref");
        c.ownerPlatformId = r.getLong("owner_platform_id");
        return c;
    }

    /** Inserts a new credential, updates a stored one. */
    Uni<Void> save(SqlClient c) {
        Object[] values = { kind, keyType, bits, publicKey, fingerprint, secret == null ? null : Buffer.buffer(secret), secretRef,
                ownerPlatformId };
        return id == null ? insert(c, TABLE, OWN_COLUMNS, values) : update(c, TABLE, "credential", OWN_COLUMNS, values);
    }

    Uni<Void> delete(SqlClient c) {
        return delete(c, TABLE, "credential");
    }

    @Override
    public String toString() {
        return "Credential[" + name + "]";
    }
}

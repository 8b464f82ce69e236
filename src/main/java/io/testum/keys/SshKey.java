package io.testum.keys;

import java.util.List;

import io.smallrye.mutiny.Uni;
import io.testum.common.InventoryEntity;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/** A public key that access grants put into authorized_keys files; a row of {@code ssh_keys}. */
class SshKey extends InventoryEntity {

    static final String TABLE = "ssh_keys";
    static final String COLUMNS = InventoryEntity.COLUMNS + ", public_key, key_type, bits, fingerprint, comment";
    private static final List<String> OWN_COLUMNS = List.of("public_key", "key_type", "bits", "fingerprint", "comment");

    /** {@code type base64 [comment]}. */
    String publicKey;
    String keyType;
    int bits;
    String fingerprint;
    String comment;

    static SshKey of(Row r) {
        SshKey k = new SshKey();
        k.readCommon(r);
        k.publicKey = r.getString("public_key");
        k.keyType = r.getString("key_type");
        k.bits = r.getInteger("bits");
        k.fingerprint = r.getString("fingerprint");
        k.comment = r.getString("comment");
        return k;
    }

    /** Inserts a new key, updates a stored one. */
    Uni<Void> save(SqlClient c) {
        Object[] values = { publicKey, keyType, bits, fingerprint, comment };
        return id == null ? insert(c, TABLE, OWN_COLUMNS, values) : update(c, TABLE, "key", OWN_COLUMNS, values);
    }

    Uni<Void> delete(SqlClient c) {
        return delete(c, TABLE, "key");
    }
}

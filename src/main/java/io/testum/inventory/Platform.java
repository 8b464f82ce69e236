package io.testum.inventory;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.smallrye.mutiny.Uni;
import io.testum.common.InventoryEntity;
import io.testum.common.Timestamps;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/** A host testum logs in to over SSH; a row of {@code platforms}. */
class Platform extends InventoryEntity {

    static final String TABLE = "platforms";
    static final String COLUMNS = InventoryEntity.COLUMNS + ", host, port, username, auth_method, credential_id, host_key, labels, "
            + "authorized_keys_path, authorized_keys_mode, address_vouched, reachability, last_seen_at, latency_ms";
    private static final List<String> OWN_COLUMNS = List.of("host", "port", "username", "auth_method", "credential_id", "host_key",
            "labels", "authorized_keys_path", "authorized_keys_mode", "address_vouched");

    String host;
    int port;
    String username;
    String authMethod;
    /** The credential's id in {@code keys}; null when the platform has none. */
    Long credentialId;
    /** The credential's name, as {@code keys} answers it (not a column of this table); null when none. */
    String credentialName;
    String hostKey;
    Map<String, String> labels;
    String authorizedKeysPath;
    String authorizedKeysMode;
    /**
     * Whether an admin or a GitOps source chose {@link #host} and {@link #port} (false: an operator
     * did). A host key first seen at an address nobody vouched for serves key logins, not passwords.
     */
    boolean addressVouched = true;

    // Written only by the reachability check (PlatformDirectory.record), never by API or GitOps changes.
    /** {@code unknown}, {@code reachable} or {@code unreachable}; the column's default for a new platform. */
    String reachability = Reachability.UNKNOWN.wire();
    Instant lastSeenAt;
    Integer latencyMs;

    static Platform of(Row r) {
        Platform p = new Platform();
        p.readCommon(r);
        p.host = r.getString("host");
        p.port = r.getInteger("port");
        p.username = r.getString("username");
        p.authMethod = r.getString("auth_method");
        p.credentialId = r.getLong("credential_id");
        p.hostKey = r.getString("host_key");
        p.labels = Labels.fromJson(r.getJsonObject("labels"));
        p.authorizedKeysPath = r.getString("authorized_keys_path");
        p.authorizedKeysMode = r.getString("authorized_keys_mode");
        p.addressVouched = r.getBoolean("address_vouched");
        p.reachability = r.getString("reachability");
        p.lastSeenAt = Timestamps.of(r, "last_seen_at");
        p.latencyMs = r.getInteger("latency_ms");
        return p;
    }

    /** Inserts a new platform, updates a stored one; the reachability columns are left to the reachability check. */
    Uni<Void> save(SqlClient c) {
        Object[] values = { host, port, username, authMethod, credentialId, hostKey, new JsonObject(new HashMap<String, Object>(labels)),
                authorizedKeysPath, authorizedKeysMode, addressVouched };
        return id == null ? insert(c, TABLE, OWN_COLUMNS, values) : update(c, TABLE, "platform", OWN_COLUMNS, values);
    }

    Uni<Void> delete(SqlClient c) {
        return delete(c, TABLE, "platform");
    }
}

package io.testum.inventory;

import java.time.Instant;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.testum.common.InventoryEntity;
import io.testum.keys.Credential;

/** A host testum logs in to over SSH. */
@Entity
@Table(name = "platforms")
public class Platform extends InventoryEntity {

    public String host;
    public int port;
    public String username;
    public String authMethod;
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "credential_id")
    public Credential credential;
    public String hostKey;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> labels;
    public String authorizedKeysPath;
    public String authorizedKeysMode;
    /**
     * Whether an admin or a GitOps source chose {@link #host} and {@link #port} (false: an operator
     * did). A host key first seen at an address nobody vouched for serves key logins, not passwords.
     */
    public boolean addressVouched = true;

    // Written only by the reachability check (io.testum.stats), never by API or GitOps changes.
    /** {@code unknown}, {@code reachable} or {@code unreachable}; the column's default for a new platform. */
    @Column(insertable = false, updatable = false)
    public String reachability = Reachability.UNKNOWN.wire();
    @Column(insertable = false, updatable = false)
    public Instant lastSeenAt;
    @Column(insertable = false, updatable = false)
    public Integer latencyMs;
}

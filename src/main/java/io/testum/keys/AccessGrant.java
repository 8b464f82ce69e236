package io.testum.keys;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import jakarta.persistence.Entity;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.testum.common.InventoryEntity;
import io.testum.inventory.Platform;

/**
 * Who may log in where: these keys, on the named platforms and those whose labels match the
 * selector, as {@code loginUser} (each platform's username when null), with these options, until
 * {@code expiresAt}.
 */
@Entity
@Table(name = "access_grants")
public class AccessGrant extends InventoryEntity {

    @ManyToMany
    @JoinTable(name = "access_grant_keys", joinColumns = @JoinColumn(name = "grant_id"),
            inverseJoinColumns = @JoinColumn(name = "key_id"))
    public Set<SshKey> keys = new LinkedHashSet<>();
    @ManyToMany
    @JoinTable(name = "access_grant_platforms", joinColumns = @JoinColumn(name = "grant_id"),
            inverseJoinColumns = @JoinColumn(name = "platform_id"))
    public Set<Platform> platforms = new LinkedHashSet<>();
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> selector;
    public String loginUser;
    public String options;
    public Instant expiresAt;
}

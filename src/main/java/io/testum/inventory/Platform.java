package io.testum.inventory;

import java.time.Instant;
import java.util.Map;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.testum.keys.Credential;

/** A host testum logs in to over SSH. */
@Entity
@Table(name = "platforms")
public class Platform {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String name;
    public String host;
    public int port;
    public String username;
    public String authMethod;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "credential_id")
    public Credential credential;
    public String hostKey;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> labels;
    public String authorizedKeysPath;
    public String authorizedKeysMode;
    public String description;
    public String source;
    public String sourceRevision;
    public Instant createdAt;
    public Instant updatedAt;
    @Version
    public long version;
}

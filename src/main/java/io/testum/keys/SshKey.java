package io.testum.keys;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A public key that access grants put into authorized_keys files. */
@Entity
@Table(name = "ssh_keys")
public class SshKey {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String name;
    /** {@code type base64 [comment]}. */
    public String publicKey;
    public String keyType;
    public int bits;
    public String fingerprint;
    public String comment;
    public String description;
    public String source;
    public String sourceRevision;
    public Instant createdAt;
    public Instant updatedAt;
    @Version
    public long version;
}

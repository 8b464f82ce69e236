package io.testum.common;

import java.time.Instant;

import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Version;

/**
 * What every inventory object has: a name it is addressed by, an owner ({@link Source}), and
 * timestamps. The version column guards against lost updates.
 */
@MappedSuperclass
public abstract class InventoryEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String name;
    public String description;
    /** {@code api}, or the GitOps source that manages the object. */
    public String source;
    /** The Git revision that last wrote the object, for Git-managed objects. */
    public String sourceRevision;
    public Instant createdAt;
    public Instant updatedAt;
    @Version
    public long version;

    /** Stamps a change: the update time, and the creation time of a new object. */
    public void touch() {
        updatedAt = Timestamps.now();
        if (createdAt == null) {
            createdAt = updatedAt;
        }
    }
}

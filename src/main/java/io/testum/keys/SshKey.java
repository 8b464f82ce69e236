package io.testum.keys;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import io.testum.common.InventoryEntity;

/** A public key that access grants put into authorized_keys files. */
@Entity
@Table(name = "ssh_keys")
public class SshKey extends InventoryEntity {

    /** {@code type base64 [comment]}. */
    public String publicKey;
    public String keyType;
    public int bits;
    public String fingerprint;
    public String comment;
}

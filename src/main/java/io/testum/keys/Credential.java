package io.testum.keys;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import io.testum.common.InventoryEntity;

/**
 * How testum logs in to platforms: a private key or a password, sealed under the master key. A
 * credential without a secret is a placeholder (declared in Git) until its secret arrives.
 */
@Entity
@Table(name = "credentials")
public class Credential extends InventoryEntity {

    public static final String KIND_KEY = "key";
    public static final String KIND_PASSWORD = "password";

    /** {@code key}, {@code password}, or null for a placeholder. */
    public String kind;
    public String keyType;
    public Integer bits;
    public String publicKey;
    public String fingerprint;
    /** AES-256-GCM ciphertext of the private key (OpenSSH format) or the password. */
    @Column(name = "secret")
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
}

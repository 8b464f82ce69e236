package io.testum.keys;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.inject.Singleton;

import io.testum.cluster.KubernetesSecrets;
import io.testum.secrets.SecretCipher;
import io.testum.ssh.SshAuth;

/** Opens a stored credential for a connection: the only place its secret is decrypted. */
@Singleton
public class CredentialSecrets {

    /** Keys of a Kubernetes Secret that a {@code secret_ref} reads (the kubernetes.io/ssh-auth and basic-auth names). */
    public static final String SSH_PRIVATE_KEY = "ssh-privatekey";
    public static final String PASSWORD = "password";

    private final SecretCipher cipher;
    private final KubernetesSecrets kubernetes;

    public CredentialSecrets(SecretCipher cipher, KubernetesSecrets kubernetes) {
        this.cipher = cipher;
        this.kubernetes = kubernetes;
    }

    /**
     * The stored secret, or, for a credential without one that names a Kubernetes Secret
     * ({@code secret_ref}), that Secret's {@code ssh-privatekey} or {@code password}.
     *
     * @throws IllegalStateException when there is no secret to use, saying why
     */
    public SshAuth open(String name, String kind, byte[] secret, String secretRef) {
        if (secret == null && secretRef != null) {
            Map<String, byte[]> data = kubernetes.read(secretRef).orElseThrow(() -> new IllegalStateException(
                    "credential '" + name + "' refers to the Kubernetes Secret '" + secretRef + "', which does not exist"));
            if (data.containsKey(SSH_PRIVATE_KEY)) {
                return new SshAuth.Key(new String(data.get(SSH_PRIVATE_KEY), StandardCharsets.UTF_8));
            }
            if (data.containsKey(PASSWORD)) {
                return new SshAuth.Password(new String(data.get(PASSWORD), StandardCharsets.UTF_8));
            }
            throw new IllegalStateException("the Kubernetes Secret '" + secretRef + "' of credential '" + name
                    + "' has neither the key " + SSH_PRIVATE_KEY + " nor " + PASSWORD);
        }
        if (secret == null || kind == null) {
            throw new IllegalStateException("credential '" + name + "' has no secret yet: generate or import it "
                    + "(POST /api/credentials/generate or /import with that name)");
        }
        String plain = cipher.decryptString(secret, Credential.purpose(name));
        return Credential.KIND_KEY.equals(kind) ? new SshAuth.Key(plain) : new SshAuth.Password(plain);
    }
}

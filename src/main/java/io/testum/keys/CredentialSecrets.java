package io.testum.keys;

import jakarta.inject.Singleton;

import io.testum.secrets.SecretCipher;
import io.testum.ssh.SshAuth;

/** Opens a stored credential for a connection: the only place its secret is decrypted. */
@Singleton
public class CredentialSecrets {

    private final SecretCipher cipher;

    public CredentialSecrets(SecretCipher cipher) {
        this.cipher = cipher;
    }

    /**
     * @throws IllegalStateException when the credential has no secret yet
     */
    public SshAuth open(String name, String kind, byte[] secret) {
        if (secret == null || kind == null) {
            throw new IllegalStateException("credential '" + name + "' has no secret yet: generate or import it "
                    + "(POST /api/credentials/generate or /import with that name)");
        }
        String plain = cipher.decryptString(secret, Credential.purpose(name));
        return Credential.KIND_KEY.equals(kind) ? new SshAuth.Key(plain) : new SshAuth.Password(plain);
    }
}

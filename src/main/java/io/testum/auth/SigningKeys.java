package io.testum.auth;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.Base64;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.runtime.StartupEvent;
import io.testum.db.DatabaseConfig;
import io.testum.secrets.SealedState;
import io.testum.secrets.SecretCipher;

/**
 * The RSA key pair that signs access tokens: from {@code testum.auth.signing-key}, or generated at
 * the first start and kept in the database sealed under the master key, so that every replica
 * signs and verifies with the same key.
 */
@Singleton
public class SigningKeys {

    static final String STATE_KEY = "jwt_signing_key";
    private static final String PURPOSE = "jwt-signing-key";
    private static final int BITS = 2048;

    private final SealedState state;
    private final SecretCipher cipher;
    private final AuthConfig config;
    private final Duration databaseWait;
    private volatile KeyPair pair;

    public SigningKeys(SealedState state, SecretCipher cipher, AuthConfig config, DatabaseConfig database) {
        this.state = state;
        this.cipher = cipher;
        this.config = config;
        this.databaseWait = database.waitTimeout();
    }

    void onStart(@Observes StartupEvent event) {
        pair = config.signingKey().map(SigningKeys::fromPem).orElseGet(this::storedOrGenerated);
    }

    public PrivateKey privateKey() {
        return current().getPrivate();
    }

    public PublicKey publicKey() {
        return current().getPublic();
    }

    private KeyPair current() {
        if (pair == null) {
            throw new IllegalStateException("The token signing key is not loaded yet");
        }
        return pair;
    }

    /**
     * Uses the stored pair; when there is none, generates one and stores it unless another replica
     * stored one first (a key is generated only then: it costs a noticeable part of a start).
     */
    private KeyPair storedOrGenerated() {
        try {
            var stored = state.read(STATE_KEY).await().atMost(databaseWait);
            if (stored.isPresent()) {
                return pairOf(cipher.decrypt(stored.get(), PURPOSE));
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(BITS);
            byte[] encoded = generator.generateKeyPair().getPrivate().getEncoded();
            byte[] sealed = state.storeIfAbsent(STATE_KEY, cipher.encrypt(encoded, PURPOSE)).await().atMost(databaseWait);
            return pairOf(cipher.decrypt(sealed, PURPOSE));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot create the token signing key: " + e.getMessage(), e);
        }
    }

    static KeyPair fromPem(String pem) {
        String body = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            return pairOf(Base64.getDecoder().decode(body));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalStateException("testum.auth.signing-key must be an RSA private key in PEM (PKCS#8) format, "
                    + "as 'openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048' writes it");
        }
    }

    private static KeyPair pairOf(byte[] pkcs8) throws GeneralSecurityException {
        KeyFactory factory = KeyFactory.getInstance("RSA");
        PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        if (!(privateKey instanceof RSAPrivateCrtKey crt)) {
            throw new GeneralSecurityException("not an RSA CRT key");
        }
        PublicKey publicKey = factory.generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
        return new KeyPair(publicKey, privateKey);
    }
}

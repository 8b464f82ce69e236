package io.testum.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Singleton;

import io.testum.common.Sha256;

/**
 * The CSRF token of a signed-in caller's forms: an HMAC-SHA256 of its session (or API token), so
 * it is the same on every page and every replica for that session, differs between sessions, and
 * cannot be chosen by anyone who sets cookies for the browser (a sibling subdomain can). The HMAC
 * key is derived from the token signing key, which only the replicas know.
 */
@Singleton
public class CsrfTokens {

    private static final String KEY_LABEL = "testum csrf v1\n";

    private final SigningKeys signingKeys;
    private volatile SecretKeySpec key;

    public CsrfTokens(SigningKeys signingKeys) {
        this.signingKeys = signingKeys;
    }

    /** The token of {@code caller}'s forms. */
    public String of(Caller caller) {
        String binding = caller.session() != null ? "session:" + caller.session() : "api-token:" + caller.apiToken();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key());
            byte[] tag = mac.doFinal(binding.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available: " + e.getMessage(), e);
        }
    }

    /** Whether {@code posted} is {@code caller}'s token, compared in constant time. */
    public boolean matches(Caller caller, String posted) {
        return posted != null && MessageDigest.isEqual(of(caller).getBytes(StandardCharsets.US_ASCII),
                posted.getBytes(StandardCharsets.US_ASCII));
    }

    private SecretKeySpec key() {
        if (key == null) {
            byte[] signing = signingKeys.privateKey().getEncoded();
            byte[] material = new byte[KEY_LABEL.length() + signing.length];
            System.arraycopy(KEY_LABEL.getBytes(StandardCharsets.US_ASCII), 0, material, 0, KEY_LABEL.length());
            System.arraycopy(signing, 0, material, KEY_LABEL.length(), signing.length);
            key = new SecretKeySpec(Sha256.of(material), "HmacSHA256");
        }
        return key;
    }
}

package io.testum.auth;

import java.security.SecureRandom;
import java.util.Base64;

import io.testum.common.Sha256;

/**
 * Refresh tokens and API tokens: 256 random bits behind a prefix that says what the token is.
 * Only their SHA-256 is stored.
 */
final class OpaqueTokens {

    static final String REFRESH_PREFIX = "tsr_";
    static final String API_PREFIX = "tsm_";

    private OpaqueTokens() {
    }

    static String newToken(String prefix) {
        byte[] bytes = new byte[32];
        // A SecureRandom per token, not one in a static field: a native image initializes this class
        // while it is built, and a random generator frozen into the image would repeat its output.
        new SecureRandom().nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] hash(String token) {
        return Sha256.of(token);
    }
}

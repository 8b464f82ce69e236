package io.testum.auth;

/**
 * What a login or a refresh hands out. The tokens are secrets: {@link #toString()} hides them.
 */
public record Session(String accessToken, String refreshToken, long expiresIn, long refreshExpiresIn) {

    @Override
    public String toString() {
        return "Session[***]";
    }
}

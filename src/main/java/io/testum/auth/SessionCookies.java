package io.testum.auth;

import java.util.List;

import jakarta.ws.rs.core.NewCookie;

/**
 * The UI's cookies, as {@code POST /api/auth/login} and the login form both set them: the access
 * token for every path, the refresh token only for {@code /api/auth}. HTTP-only, SameSite=Strict,
 * Secure when the request came over HTTPS.
 */
public final class SessionCookies {

    private SessionCookies() {
    }

    /** The cookies that carry {@code session}'s tokens. */
    public static List<NewCookie> of(Session session, boolean secure) {
        return List.of(
                cookie(TokenAuthenticationMechanism.ACCESS_COOKIE, session.accessToken(), "/", (int) session.expiresIn(), secure),
                cookie(TokenAuthenticationMechanism.REFRESH_COOKIE, session.refreshToken(), "/api/auth",
                        (int) session.refreshExpiresIn(), secure));
    }

    /** Cookies that make the browser forget both tokens. */
    public static List<NewCookie> cleared(boolean secure) {
        return List.of(cookie(TokenAuthenticationMechanism.ACCESS_COOKIE, "", "/", 0, secure),
                cookie(TokenAuthenticationMechanism.REFRESH_COOKIE, "", "/api/auth", 0, secure));
    }

    private static NewCookie cookie(String name, String value, String path, int maxAge, boolean secure) {
        return new NewCookie.Builder(name).value(value).path(path).maxAge(maxAge).httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.STRICT).build();
    }
}

package io.testum.web;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.testum.auth.Caller;
import io.testum.auth.CsrfTokens;
import io.testum.auth.Role;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;

/**
 * What every page needs to know about the request it answers: who is signed in and what that role
 * may do (so a page shows only the buttons its viewer can use), the language, and the CSRF token
 * that its forms carry. Templates read it as {@code inject:ui}.
 */
@RequestScoped
@Named("ui")
@TemplateData // templates read it as {inject:ui...}: a generated resolver, since a native image has no reflection for it
public class UiContext {

    /** The languages the UI speaks; the first is the default. */
    static final List<String> LANGUAGES = List.of("en", "ru");
    static final String LANGUAGE_COOKIE = "testum_lang";
    static final String CSRF_COOKIE = "testum_csrf";
    static final String CSRF_FIELD = "csrf";
    private static final int CSRF_BYTES = 32;

    private final SecurityIdentity identity;
    private final CurrentVertxRequest current;
    private final CsrfTokens csrfTokens;
    private Locale locale;
    private String csrf;
    private boolean csrfIssued;

    public UiContext(SecurityIdentity identity, CurrentVertxRequest current, CsrfTokens csrfTokens) {
        this.identity = identity;
        this.current = current;
        this.csrfTokens = csrfTokens;
    }

    private HttpServerRequest request() {
        return current.getCurrent().request();
    }

    public Optional<Caller> caller() {
        return Caller.of(identity);
    }

    public boolean signedIn() {
        return caller().isPresent();
    }

    public String username() {
        return caller().map(Caller::username).orElse("");
    }

    /** {@code viewer}, {@code operator} or {@code admin}; empty when nobody is signed in. */
    public String role() {
        return caller().map(c -> c.role().label()).orElse("");
    }

    /** Runs commands, syncs, edits API-managed inventory. */
    public boolean canOperate() {
        return caller().map(c -> c.role().includes(Role.OPERATOR)).orElse(false);
    }

    /** Manages users, tokens, credentials, sources; reads the audit log. */
    public boolean isAdmin() {
        return caller().map(c -> c.role().includes(Role.ADMIN)).orElse(false);
    }

    /** The page's language: the {@value #LANGUAGE_COOKIE} cookie, else the best of Accept-Language, else English. */
    public Locale locale() {
        if (locale == null) {
            locale = Locale.forLanguageTag(language(cookie(LANGUAGE_COOKIE), request().getHeader("Accept-Language")));
        }
        return locale;
    }

    public String lang() {
        return locale().getLanguage();
    }

    static String language(String cookie, String acceptLanguage) {
        if (cookie != null && LANGUAGES.contains(cookie)) {
            return cookie;
        }
        if (acceptLanguage != null && !acceptLanguage.isBlank()) {
            try {
                String best = Locale.lookupTag(Locale.LanguageRange.parse(acceptLanguage), LANGUAGES);
                if (best != null) {
                    return best;
                }
            } catch (IllegalArgumentException e) {
                // A malformed header counts as none.
            }
        }
        return LANGUAGES.get(0);
    }

    /** The messages in the page's language, for text made in Java. */
    public Msg msg() {
        return MessageBundles.get(Msg.class, Localized.Literal.of(lang()));
    }

    /** The texts of the pages about keys on the hosts, in the page's language. */
    public KeysMsg keyMsg() {
        return MessageBundles.get(KeysMsg.class, Localized.Literal.of(lang()));
    }

    /** The texts of the pages for day-to-day operations (sources, schedules, host keys), in the page's language. */
    public OpsMsg opsMsg() {
        return MessageBundles.get(OpsMsg.class, Localized.Literal.of(lang()));
    }

    /** The confirmation that a redirect after a change asked for ({@code ?notice=saved}), in the page's language. */
    public String notice(String code) {
        if (code == null) {
            return null;
        }
        Msg msg = msg();
        return switch (code) {
            case "created" -> msg.notice_created();
            case "saved" -> msg.notice_saved();
            case "deleted" -> msg.notice_deleted();
            case "deployed" -> msg.notice_deployed();
            case "synced" -> msg.notice_synced();
            case "suspended" -> msg.notice_suspended();
            case "resumed" -> msg.notice_resumed();
            case "revoked" -> msg.notice_revoked();
            case "host_key_forgotten" -> opsMsg().notice_host_key_forgotten();
            default -> null;
        };
    }

    /** Renders {@code page} in the request's language. */
    public TemplateInstance page(TemplateInstance page) {
        return page.setLocale(locale());
    }

    /**
     * The token this request's forms carry. Signed in: the session's own ({@link CsrfTokens}), which
     * nobody can plant. Not signed in (the login form): the browser's {@value #CSRF_COOKIE} cookie,
     * or a new one that the response sets.
     */
    public String csrfToken() {
        if (csrf == null && caller().isPresent()) {
            csrf = csrfTokens.of(caller().get());
        }
        if (csrf == null) {
            String sent = cookie(CSRF_COOKIE);
            if (wellFormed(sent)) {
                csrf = sent;
            } else {
                byte[] bytes = new byte[CSRF_BYTES];
                // A SecureRandom per token, not one in a static field: a native image initializes this class
                // while it is built, and a random generator frozen into the image would repeat its output.
                new SecureRandom().nextBytes(bytes);
                csrf = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                csrfIssued = true;
            }
        }
        return csrf;
    }

    /** This page's path and query, URL-encoded, for a link that comes back here. */
    public String here() {
        HttpServerRequest request = request();
        String query = request.query();
        return java.net.URLEncoder.encode(request.path() + (query == null || query.isEmpty() ? "" : "?" + query),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    public String csrfField() {
        return CSRF_FIELD;
    }

    /** Whether this request made a new token that the response must set as a cookie. */
    boolean csrfIssued() {
        return csrfIssued;
    }

    /**
     * Whether a posted form carries the right token: a signed-in caller's must be its session's; a
     * visitor's must be the one in the browser's cookie (double submit), and so may the login
     * form's, which a signed-in browser can still hold from before.
     */
    boolean csrfMatches(String posted, boolean loginForm) {
        Optional<Caller> caller = caller();
        if (caller.isPresent() && csrfTokens.matches(caller.get(), posted)) {
            return true;
        }
        if (caller.isPresent() && !loginForm) {
            return false;
        }
        String sent = cookie(CSRF_COOKIE);
        return wellFormed(sent) && posted != null
                && MessageDigest.isEqual(sent.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        posted.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static boolean wellFormed(String token) {
        return token != null && token.length() == 43 && token.matches("[A-Za-z0-9_-]+");
    }

    boolean secure() {
        return "https".equalsIgnoreCase(request().scheme());
    }

    private String cookie(String name) {
        Cookie cookie = request().getCookie(name);
        return cookie == null ? null : cookie.getValue();
    }
}

package io.testum.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.testum.common.Problem;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;

/**
 * A browser sends the session cookie with any request to testum, including those that a page of
 * another site starts: a form (url-encoded, multipart or text/plain), a WebSocket, and, from a
 * sibling subdomain, even with SameSite=Strict. So a request to {@code /api/*} or {@code /ws/*}
 * that carries a session cookie and no {@code Authorization} header must show that testum's own
 * pages sent it:
 * <ul>
 * <li>{@code Sec-Fetch-Site: same-origin} (the browser's own verdict), or, without that header,</li>
 * <li>an {@code Origin} equal to testum's own, or</li>
 * <li>a custom header ({@code X-Requested-With}), which no page of another site can add without a
 * CORS permission testum never grants.</li>
 * </ul>
 * Reads without any of these (a link followed, an address typed) pass unless the browser says they
 * came from another site; changes and WebSockets do not. Bearer-token clients and the
 * signature-checked webhooks are not affected.
 */
@ApplicationScoped
public class CrossSiteGuard {

    private static final Logger LOG = Logger.getLogger(CrossSiteGuard.class);
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    static final String CUSTOM_HEADER = "X-Requested-With";
    private static final String WEBHOOKS = "/api/gitops/webhook/";
    /** Before the routes and the WebSocket upgrade, after the security headers. */
    private static final int PRIORITY = 900;

    /** Whether a request may go on. */
    enum Verdict {
        ALLOW, REFUSE
    }

    void register(@Observes Filters filters) {
        filters.register(CrossSiteGuard::guard, PRIORITY);
    }

    static void guard(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String path = rc.normalizedPath();
        boolean covered = (path.startsWith("/api/") || path.startsWith("/ws/")) && !path.startsWith(WEBHOOKS);
        if (!covered || request.getHeader("Authorization") != null || !hasSessionCookie(request)) {
            rc.next();
            return;
        }
        boolean upgrade = "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
        Verdict verdict = verdict(request.method().name(), upgrade, request.getHeader("Sec-Fetch-Site"),
                request.getHeader("Origin"), request.getHeader(CUSTOM_HEADER) != null, ownOrigin(request));
        if (verdict == Verdict.ALLOW) {
            rc.next();
            return;
        }
        LOG.infof("Refused %s %s with a session cookie from another site (Origin %s, Sec-Fetch-Site %s)",
                request.method().name(), path, request.getHeader("Origin"), request.getHeader("Sec-Fetch-Site"));
        JsonObject problem = new JsonObject().put("type", "urn:testum:problem:cross-site").put("title", "Forbidden")
                .put("status", 403).put("detail", "A request with testum's session cookie must come from testum's own "
                        + "pages (Origin or Sec-Fetch-Site), or carry " + CUSTOM_HEADER
                        + "; API clients send Authorization: Bearer <token>");
        rc.response().setStatusCode(403).putHeader("Content-Type", Problem.MEDIA_TYPE).end(problem.encode());
    }

    /**
     * The rule, on the request's headers alone.
     *
     * @param ownOrigin testum's origin as this request reached it, e.g. {@code https://testum.example.com}
     */
    static Verdict verdict(String method, boolean upgrade, String fetchSite, String origin, boolean customHeader,
            String ownOrigin) {
        boolean read = SAFE.contains(method) && !upgrade;
        if (fetchSite != null) {
            return switch (fetchSite.strip().toLowerCase(Locale.ROOT)) {
                case "same-origin" -> Verdict.ALLOW;
                case "none" -> read ? Verdict.ALLOW : Verdict.REFUSE;
                default -> Verdict.REFUSE;
            };
        }
        if (origin != null) {
            return sameOrigin(origin, ownOrigin) ? Verdict.ALLOW : Verdict.REFUSE;
        }
        return read || customHeader ? Verdict.ALLOW : Verdict.REFUSE;
    }

    static boolean sameOrigin(String origin, String own) {
        String a = normalize(origin);
        return a != null && a.equals(normalize(own));
    }

    /** {@code scheme://host:port} with the default port filled in, or null for anything else ({@code null}, garbage). */
    private static String normalize(String origin) {
        try {
            URI uri = new URI(origin.strip());
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))
                    || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !"/".equals(uri.getRawPath()))) {
                return null;
            }
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String ownOrigin(HttpServerRequest request) {
        HostAndPort authority = request.authority();
        if (authority == null) {
            return "";
        }
        String host = authority.host().contains(":") && !authority.host().startsWith("[") ? "[" + authority.host() + "]"
                : authority.host();
        return request.scheme() + "://" + host + (authority.port() > 0 ? ":" + authority.port() : "");
    }

    private static boolean hasSessionCookie(HttpServerRequest request) {
        return request.getCookie(TokenAuthenticationMechanism.ACCESS_COOKIE) != null
                || request.getCookie(TokenAuthenticationMechanism.REFRESH_COOKIE) != null;
    }
}

package io.testum.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * The headers every answer carries, pages, API, static files and refusals alike: no framing by
 * any site (clickjacking), no type sniffing, only testum's own scripts and styles (the UI has no
 * inline script, handler or style), no referrer to other sites, and over HTTPS a year of HSTS.
 * <p>
 * Swagger UI (off in production unless enabled) runs inline scripts of its own, so its pages get
 * a policy that allows them; the framing and sniffing rules hold there too.
 */
@ApplicationScoped
public class SecurityHeaders {

    /** What the UI needs: its own scripts, styles, fetches and WebSocket; nothing inline, nothing foreign. */
    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";
    /** Swagger UI starts itself with an inline script. */
    static final String SWAGGER_POLICY = "default-src 'self'; script-src 'self' 'unsafe-inline'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; "
            + "base-uri 'none'; frame-ancestors 'none'";
    static final String HSTS = "max-age=31536000";
    /** Before every route, so that refusals and errors carry the headers too. */
    private static final int PRIORITY = 1000;

    void register(@Observes Filters filters) {
        filters.register(SecurityHeaders::add, PRIORITY);
    }

    static void add(RoutingContext rc) {
        MultiMap headers = rc.response().headers();
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "same-origin");
        String path = rc.normalizedPath();
        if (path.startsWith("/q/swagger-ui")) {
            headers.set("Content-Security-Policy", SWAGGER_POLICY);
        } else if (!path.startsWith("/q/dev-ui")) {
            headers.set("Content-Security-Policy", POLICY);
        }
        if ("https".equalsIgnoreCase(rc.request().scheme())) {
            headers.set("Strict-Transport-Security", HSTS);
        }
        rc.next();
    }
}

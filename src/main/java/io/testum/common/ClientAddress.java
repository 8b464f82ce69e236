package io.testum.common;

import io.vertx.core.http.HttpServerRequest;

/**
 * The address a request came from, as the HTTP layer sees it (behind a proxy, with
 * {@code quarkus.http.proxy.proxy-address-forwarding=true}, the forwarded one).
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(HttpServerRequest request) {
        if (request == null || request.remoteAddress() == null) {
            return null;
        }
        String host = request.remoteAddress().hostAddress();
        return host != null ? host : request.remoteAddress().host();
    }
}

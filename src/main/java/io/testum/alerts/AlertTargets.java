package io.testum.alerts;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The rules for where an alert may send: an absolute {@code http} or {@code https} URL with a
 * host, and, unless {@code testum.alerts.allow-private-targets}, no address on this host or its
 * link (loopback, link-local such as the cloud metadata address 169.254.169.254, unspecified,
 * multicast). Addresses of the organisation's own network (RFC 1918, unique-local IPv6) are
 * allowed: internal chat servers and receivers are the usual targets. Pure: no I/O but the
 * resolving that {@link #refusal(InetAddress)} is given the result of.
 */
final class AlertTargets {

    static final int MAX_URL_LENGTH = 2048;

    private AlertTargets() {
    }

    /** Why {@code url} cannot be an alert's target (ignoring where its name resolves to), or null when it can. */
    static String problem(String url, boolean allowPrivate) {
        if (url == null || url.isBlank()) {
            return "is required: the http(s) URL to send to";
        }
        if (url.length() > MAX_URL_LENGTH) {
            return "is longer than " + MAX_URL_LENGTH + " characters";
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            return "is not a URL (" + e.getReason() + ")";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "must be an http or https URL";
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            return "must name a host";
        }
        if (uri.getFragment() != null) {
            return "must not have a #fragment";
        }
        if (!allowPrivate) {
            String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            if (bare.equalsIgnoreCase("localhost") || bare.toLowerCase(Locale.ROOT).endsWith(".localhost")) {
                return refusedText("localhost");
            }
            if (isAddressLiteral(bare)) {
                try {
                    String refusal = refusal(InetAddress.getByName(bare));
                    if (refusal != null) {
                        return refusal;
                    }
                } catch (UnknownHostException e) {
                    return "names an address that does not parse";
                }
            }
        }
        return null;
    }

    /** Why testum refuses to send to {@code address} while private targets are not allowed, or null. */
    static String refusal(InetAddress address) {
        String kind = address.isLoopbackAddress() ? "a loopback address"
                : address.isLinkLocalAddress() ? "a link-local address (e.g. a cloud metadata service)"
                : address.isAnyLocalAddress() ? "the unspecified address"
                : address.isMulticastAddress() ? "a multicast address"
                : isMappedOrCompatibleLocal(address) ? "a loopback or link-local address" : null;
        return kind == null ? null : refusedText(kind);
    }

    private static String refusedText(String kind) {
        return "points to " + kind + "; testum does not send alerts there unless testum.alerts.allow-private-targets=true";
    }

    /** IPv4 addresses written inside IPv6 (::ffff:127.0.0.1) are judged as the IPv4 address. */
    private static boolean isMappedOrCompatibleLocal(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return false;
        }
        byte[] b = address.getAddress();
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        if (!((b[10] == 0 && b[11] == 0) || (b[10] == (byte) 0xff && b[11] == (byte) 0xff))) {
            return false;
        }
        int first = b[12] & 0xff;
        int second = b[13] & 0xff;
        return first == 127 || first == 0 || (first == 169 && second == 254);
    }

    private static boolean isAddressLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+") || host.matches("(?i)0x[0-9a-f.x]+");
    }

    /**
     * What the API shows of a URL: its scheme, host and port, and {@code /…} for whatever follows,
     * since paths and queries of incoming webhooks are where their tokens are.
     */
    static String shown(String url) {
        URI uri = URI.create(url.strip());
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        boolean more = (!path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null;
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (more ? "/…" : "/");
    }
}

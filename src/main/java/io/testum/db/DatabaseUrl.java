package io.testum.db;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A PostgreSQL location as testum's operators write it ({@code postgresql://host:port/db?params}),
 * turned into the two URLs Quarkus needs: the reactive pool's and Flyway's JDBC one.
 *
 * @param host     host name or IP address (IPv6 without brackets)
 * @param port     TCP port
 * @param database database name
 * @param query    query parameters passed through unchanged (e.g. {@code sslmode=require}), or empty
 * @param user     user from the URL's user-info part, if any
 * @param password password from the URL's user-info part, if any
 */
public record DatabaseUrl(String host, int port, String database, String query,
                          Optional<String> user, Optional<String> password) {

    private static final int DEFAULT_PORT = 5432;

    /**
     * Parses {@code postgresql://}, {@code postgres://} or {@code jdbc:postgresql://} URLs.
     *
     * @throws IllegalArgumentException with a message that says what is wrong and what is expected
     */
    public static DatabaseUrl parse(String text) {
        String raw = text.strip();
        if (raw.startsWith("jdbc:")) {
            raw = raw.substring("jdbc:".length());
        }
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw invalid(text, e.getReason());
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw invalid(text, "the scheme must be postgresql://");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw invalid(text, "it names no host");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = decode(path.startsWith("/") ? path.substring(1) : path);
        if (database.isEmpty() || database.contains("/")) {
            throw invalid(text, "it must name one database, as in postgresql://db.example:5432/testum");
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            user = Optional.of(decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
            if (colon >= 0) {
                password = Optional.of(decode(userInfo.substring(colon + 1)));
            }
        }
        int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        return new DatabaseUrl(host, port, database, query, user, password);
    }

    /** The URL for the Vert.x reactive pool, without credentials. */
    public String reactiveUrl() {
        return "postgresql://" + hostPort() + "/" + database + (query.isEmpty() ? "" : "?" + query);
    }

    /** The URL for the JDBC driver (Flyway), without credentials. */
    public String jdbcUrl() {
        return "jdbc:" + reactiveUrl();
    }

    private String hostPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The location without credentials, safe for a log line. */
    @Override
    public String toString() {
        return reactiveUrl();
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException invalid(String text, String reason) {
        String shown = text.replaceAll("//[^@/]*@", "//***@");
        return new IllegalArgumentException("testum.db.url '" + shown + "' is not a PostgreSQL URL: " + reason
                + ". Expected postgresql://host:port/database");
    }
}

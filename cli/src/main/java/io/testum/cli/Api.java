package io.testum.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The testum REST API over {@link HttpClient}: bearer tokens from the configuration (or
 * {@code TESTUM_TOKEN}), one refresh with the refresh token when the service answers 401 (the new
 * pair is saved), and problem details turned into {@link ApiException}s.
 */
final class Api {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);
    private static final int PAGE_SIZE = 1000;

    private final HttpClient http;
    private final String url;
    private final Path home;
    private final boolean envToken;
    private Config config;
    private String token;

    private Api(HttpClient http, String url, Path home, Config config, String token, boolean envToken) {
        this.http = http;
        this.url = url;
        this.home = home;
        this.config = config;
        this.token = token;
        this.envToken = envToken;
    }

    static HttpClient client() {
        return HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * The API as the caller is signed in: {@code TESTUM_URL} and {@code TESTUM_TOKEN} override the
     * stored configuration. A stored token is only ever sent to the URL it was issued by.
     */
    static Api open(Terminal terminal) {
        Config stored = Config.load(terminal.home());
        String envUrl = terminal.env().get("TESTUM_URL");
        String envToken = terminal.env().get("TESTUM_TOKEN");
        String url = normalize(envUrl != null && !envUrl.isBlank() ? envUrl : stored.url());
        if (url == null) {
            throw new ApiException("not logged in: run testumctl login --url URL -u USER (or set TESTUM_URL and TESTUM_TOKEN)");
        }
        if (envToken != null && !envToken.isBlank()) {
            return new Api(client(), url, terminal.home(), stored, envToken.strip(), true);
        }
        String token = url.equals(normalize(stored.url())) ? stored.accessToken() : null;
        if (token == null) {
            throw new ApiException("not logged in to " + url + ": run testumctl login --url " + url + " -u USER");
        }
        return new Api(client(), url, terminal.home(), stored, token, false);
    }

    /** {@code http://host:8080/} as {@code http://host:8080}; a URL without a scheme is refused. */
    static String normalize(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        String u = url.strip();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        if (!u.startsWith("http://") && !u.startsWith("https://")) {
            throw new UsageException("the URL must start with http:// or https://, got '" + url + "'");
        }
        return u;
    }

    String url() {
        return url;
    }

    /** {@code POST /api/auth/login} without a token; answers the token pair. */
    static Map<String, Object> login(HttpClient http, String url, String username, String password) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", username);
        body.put("password", password);
        HttpResponse<String> response = send(http, url, json(HttpRequest.newBuilder(uri(url, "/api/auth/login")), "POST", body)
                .timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        return object(parse(check(response.statusCode(), response.body())));
    }

    Object get(String path) {
        return call("GET", path, null);
    }

    Object post(String path, Object body) {
        return call("POST", path, body);
    }

    Object delete(String path) {
        return call("DELETE", path, null);
    }

    /** A call with a JSON body (or none); answers the parsed JSON, or null for an empty answer. */
    Object call(String method, String path, Object body) {
        HttpResponse<String> response = exchange(() -> json(request(path).header("Accept", "application/json"), method, body),
                HttpResponse.BodyHandlers.ofString());
        return parse(check(response.statusCode(), response.body()));
    }

    /** A call whose request body is {@code content} of {@code contentType}; answers the parsed JSON. */
    Object send(String method, String path, String contentType, byte[] content) {
        HttpResponse<String> response = exchange(() -> request(path).header("Accept", "application/json")
                .header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(content)),
                HttpResponse.BodyHandlers.ofString());
        return parse(check(response.statusCode(), response.body()));
    }

    /** A GET whose answer is not JSON, e.g. the YAML of a backup. */
    byte[] download(String path, String accept) {
        HttpResponse<byte[]> response = exchange(() -> request(path).header("Accept", accept).GET(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() / 100 != 2) {
            throw ApiException.of(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        }
        return response.body();
    }

    /** A GET that stays open ({@code text/event-stream}); the caller reads and closes the body. */
    InputStream stream(String path, Map<String, String> headers) {
        HttpResponse<InputStream> response = exchange(() -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri(url, path)).header("Authorization", "Bearer " + token)
                    .header("User-Agent", Testumctl.userAgent()).header("Accept", "text/event-stream").GET();
            headers.forEach(b::header);
            return b;
        }, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() / 100 != 2) {
            try (InputStream body = response.body()) {
                throw ApiException.of(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new ApiException(response.statusCode(), "HTTP " + response.statusCode(), List.of());
            }
        }
        return response.body();
    }

    /** The items of an answer that is a JSON array (a list the API does not page). */
    List<Map<String, Object>> list(String path) {
        List<Map<String, Object>> items = new ArrayList<>();
        if (get(path) instanceof List<?> list) {
            list.forEach(item -> items.add(object(item)));
        }
        return items;
    }

    /** Every item of a paged list, page after page. */
    List<Map<String, Object>> all(String path) {
        List<Map<String, Object>> items = new ArrayList<>();
        String separator = path.contains("?") ? "&" : "?";
        for (int page = 0; ; page++) {
            Map<String, Object> answer = object(get(path + separator + "page=" + page + "&size=" + PAGE_SIZE));
            List<?> list = answer.get("items") instanceof List<?> l ? l : List.of();
            list.forEach(item -> items.add(object(item)));
            long total = answer.get("total") instanceof Number n ? n.longValue() : items.size();
            if (list.isEmpty() || items.size() >= total) {
                return items;
            }
        }
    }

    /** {@code value} URL-encoded for a path segment or query value. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value) {
        if (value instanceof Map<?, ?>) {
            return (Map<String, Object>) value;
        }
        throw new ApiException("the service answered " + (value == null ? "nothing" : "a " + value.getClass().getSimpleName())
                + " where an object was expected");
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(url, path)).timeout(REQUEST_TIMEOUT).header("Authorization", "Bearer " + token)
                .header("User-Agent", Testumctl.userAgent());
    }

    /** Sends the request; on 401, refreshes the tokens once and sends it again. */
    private <T> HttpResponse<T> exchange(Supplier<HttpRequest.Builder> request, HttpResponse.BodyHandler<T> handler) {
        HttpResponse<T> response = send(http, url, request.get().build(), handler);
        if (response.statusCode() != 401 || envToken || config.refreshToken() == null) {
            return response;
        }
        discard(response);
        refresh();
        return send(http, url, request.get().setHeader("Authorization", "Bearer " + token).build(), handler);
    }

    /** Trades the refresh token for a new pair and saves it; refresh tokens rotate, so the old one is spent. */
    private void refresh() {
        Map<String, Object> body = Map.of("refresh_token", config.refreshToken());
        HttpResponse<String> response = send(http, url, json(HttpRequest.newBuilder(uri(url, "/api/auth/refresh")), "POST", body)
                .timeout(REQUEST_TIMEOUT).header("User-Agent", Testumctl.userAgent()).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new ApiException(401, "the session at " + url + " has ended (the refresh token was refused); log in again: "
                    + "testumctl login --url " + url + " -u USER", List.of());
        }
        Map<String, Object> tokens = object(parse(response.body()));
        config = config.withTokens((String) tokens.get("access_token"), (String) tokens.get("refresh_token"));
        config.save(home);
        token = config.accessToken();
    }

    private static <T> HttpResponse<T> send(HttpClient http, String url, HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new ApiException("cannot reach " + url + ": " + reason);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted");
        }
    }

    private static void discard(HttpResponse<?> response) {
        if (response.body() instanceof InputStream in) {
            try {
                in.close();
            } catch (IOException e) {
                // nothing to do: the answer is not used
            }
        }
    }

    private static HttpRequest.Builder json(HttpRequest.Builder builder, String method, Object body) {
        if (body == null) {
            return builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return builder.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8));
    }

    private static URI uri(String url, String path) {
        return URI.create(url + path);
    }

    private static String check(int status, String body) {
        if (status / 100 != 2) {
            throw ApiException.of(status, body);
        }
        return body;
    }

    private static Object parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return Json.parse(body);
        } catch (IllegalArgumentException e) {
            throw new ApiException("the service answered something that is not JSON (" + e.getMessage() + ")");
        }
    }
}

package io.testum.testing;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.http.ContentType;

/**
 * Signs tests in. The first admin of the test profile logs in once per database; other users are
 * created on demand. {@link #as} makes every following rest-assured call carry the token.
 */
public final class Auth {

    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "test-admin-password";
    public static final String PASSWORD = "a-long-enough-password";
    /**
     * Tokens by database and user, with the time they were issued: a test run on a busy machine outlasts an
     * access token's lifetime (15 minutes), so a token older than {@link #REUSE} is replaced by a new login.
     */
    private static final Map<String, Issued> TOKENS = new ConcurrentHashMap<>();
    private static final java.time.Duration REUSE = java.time.Duration.ofMinutes(5);

    private record Issued(String token, java.time.Instant at) {
        boolean fresh() {
            return at.plus(REUSE).isAfter(java.time.Instant.now());
        }
    }

    private Auth() {
    }

    /** Sends every following request as the first admin. */
    public static void asAdmin() {
        as(adminToken());
    }

    /** Sends every following request with this bearer token. */
    public static void as(String token) {
        // RequestSpecBuilder starts from the current default; clear it so only one Authorization header is sent.
        RestAssured.requestSpecification = null;
        RestAssured.requestSpecification = new RequestSpecBuilder().addHeader("Authorization", "Bearer " + token).build();
    }

    /** Sends every following request without credentials. */
    public static void anonymous() {
        RestAssured.requestSpecification = null;
    }

    public static String adminToken() {
        return cached(database() + "/" + ADMIN, () -> login(ADMIN, ADMIN_PASSWORD));
    }

    /** A token of a user with this role, created by the admin when missing. */
    public static String tokenOf(String username, String role) {
        String admin = adminToken();
        return cached(database() + "/" + username, () -> withoutDefaults(() -> {
            given().header("Authorization", "Bearer " + admin).contentType(ContentType.JSON)
                    .body(Map.of("username", username, "password", PASSWORD, "role", role))
                    .post("/api/users");
            return login(username, PASSWORD);
        }));
    }

    private static String cached(String key, java.util.function.Supplier<String> login) {
        return TOKENS.compute(key, (k, issued) -> issued != null && issued.fresh() ? issued
                : new Issued(login.get(), java.time.Instant.now())).token();
    }

    /** Forgets cached tokens, e.g. after a test ended sessions. */
    public static void forget() {
        TOKENS.clear();
    }

    public static String login(String username, String password) {
        return withoutDefaults(() -> given().contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password))
                .post("/api/auth/login").then().statusCode(200).extract().path("access_token"));
    }

    /**
     * The CSRF token that the pages of {@code accessToken}'s session carry in their forms, as a
     * browser finds it in a page.
     */
    public static String csrfOf(String accessToken) {
        String html = withoutDefaults(() -> given().cookie("testum_access", accessToken).get("/").then().statusCode(200)
                .extract().asString());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        if (!m.find()) {
            throw new IllegalStateException("The dashboard has no form with a CSRF token");
        }
        return m.group(1);
    }

    /** Runs {@code call} without the default credentials that {@link #as} set. */
    public static <T> T withoutDefaults(java.util.function.Supplier<T> call) {
        var saved = RestAssured.requestSpecification;
        RestAssured.requestSpecification = null;
        try {
            return call.get();
        } finally {
            RestAssured.requestSpecification = saved;
        }
    }

    private static String database() {
        return ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
    }
}

package io.testum.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.testum.testing.Auth;
import io.testum.testing.Fixtures;
import io.testum.testing.PostgresResource;
import io.testum.testing.TestDatabase;

/** The pages over plain HTTP: sessions, CSRF, roles and languages, without a browser. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class WebPagesTest {

    /** A CSRF token as the pages issue them: 32 random bytes, base64url. */
    static final String CSRF = "A".repeat(43);

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        Auth.anonymous();
    }

    private static RequestSpecification browser(String token) {
        RequestSpecification request = given().redirects().follow(false).cookie("testum_csrf", CSRF);
        return token == null ? request : request.cookie("testum_access", token);
    }

    @Test
    void sendsVisitorsWithoutASessionToTheLoginPageAndBack() {
        browser(null).queryParam("label", "env=prod").get("/platforms").then().statusCode(303)
                .header("Location", containsString("/login?next=%2Fplatforms%3Flabel%3Denv%253Dprod"));
        browser(null).get("/login").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("name=\"password\""));
    }

    @Test
    void logsInWithTheApiSessionCookiesAndOut() {
        Response login = browser(null).formParam("csrf", CSRF).formParam("username", Auth.ADMIN)
                .formParam("password", Auth.ADMIN_PASSWORD).formParam("next", "/platforms").post("/login");
        login.then().statusCode(303).header("Location", containsString("/platforms"));
        List<String> cookies = login.headers().getValues("Set-Cookie");
        assertThat(cookies).anySatisfy(c -> assertThat(c).startsWith("testum_access=").contains("Path=/")
                .contains("HttpOnly").contains("SameSite=Strict"));
        assertThat(cookies).anySatisfy(c -> assertThat(c).startsWith("testum_refresh=").contains("Path=/api/auth"));
        String token = login.cookie("testum_access");

        browser(token).get("/").then().statusCode(200).body(containsString(Auth.ADMIN));
        browser(token).formParam("csrf", Auth.csrfOf(token)).post("/logout").then().statusCode(303)
                .header("Location", containsString("/login"));
        browser(token).get("/").then().statusCode(303);
    }

    @Test
    void refusesAWrongPasswordOnTheLoginPage() {
        browser(null).formParam("csrf", CSRF).formParam("username", Auth.ADMIN).formParam("password", "wrong-password-1")
                .post("/login").then().statusCode(401).body(containsString("Invalid user name or password"));
    }

    @Test
    void refusesFormPostsWithoutTheSessionsCsrfToken() {
        String admin = Auth.adminToken();
        browser(admin).formParam("name", "web-01").post("/platforms").then().statusCode(400)
                .contentType(containsString("text/html"));
        browser(admin).formParam("csrf", "B".repeat(43)).formParam("name", "web-01").post("/platforms").then()
                .statusCode(400);
        browser(admin).formParam("csrf", CSRF).formParam("name", "web-01").post("/platforms").then()
                .statusCode(400);
    }

    /** The JSON API needs no CSRF token: a bearer token, or the cookie on a request from testum's own origin. */
    @Test
    void leavesTheJsonApiWithoutCsrfTokensWithBearerOrCookie() {
        String admin = Auth.adminToken();
        given().header("Authorization", "Bearer " + admin).contentType("application/json")
                .body(Map.of("name", "deployer")).post("/api/credentials/generate").then().statusCode(201);
        Map<String, Object> platform = Fixtures.platformBody("api-01");
        given().cookie("testum_access", admin).header("Sec-Fetch-Site", "same-origin").contentType("application/json")
                .body(platform).post("/api/platforms")
                .then().statusCode(201);
    }

    @Test
    void showsAViewerNoOperatorButtonsAndRefusesTheirForcedPosts() {
        Auth.asAdmin();
        Fixtures.credential("deployer");
        Fixtures.platform("web-01", Map.of("env", "prod"));
        Auth.anonymous();
        String viewer = Auth.tokenOf("web-viewer", "viewer");
        browser(viewer).get("/platforms/web-01").then().statusCode(200)
                .body(containsString("web-01"))
                .body(not(containsString("action=\"/platforms/web-01/run\"")))
                .body(not(containsString("action=\"/platforms/web-01/deploy-keys\"")));
        browser(viewer).formParam("csrf", Auth.csrfOf(viewer)).formParam("command", "id").post("/platforms/web-01/run").then()
                .statusCode(403).contentType(containsString("text/html"));
        browser(viewer).get("/users").then().statusCode(403);
        assertThat(TestDatabase.rows("SELECT actor, action, target, outcome, details->>'via' FROM audit_log "
                + "ORDER BY id DESC LIMIT 1")).containsExactly(List.of("web-viewer", "run.create", "web-01", "denied", "session"));
    }

    @Test
    void auditsPageChangesUnderTheApisActionNames() {
        String admin = Auth.adminToken();
        browser(admin).formParam("csrf", Auth.csrfOf(admin)).formParam("name", "deployer").formParam("type", "ed25519")
                .post("/credentials/generate").then().statusCode(303);
        browser(null).formParam("csrf", CSRF).formParam("name", "sneaky").post("/keys").then().statusCode(303)
                .header("Location", containsString("/login"));
        assertThat(TestDatabase.rows("SELECT actor, action, outcome FROM audit_log ORDER BY id DESC LIMIT 2")).containsExactly(
                List.of("anonymous", "key.create", "denied"), List.of("admin", "credential.generate", "success"));
    }

    /**
     * A private key pasted into the search of the keys outside Git: refused with a form error, and
     * neither shown back, nor logged, nor audited, nor put in a URL; a public key is looked up by its fingerprint.
     */
    @Test
    void refusesAPastedPrivateKeyWithoutEchoingLoggingOrAuditingIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        String viewer = Auth.tokenOf("paste-viewer", "viewer");
        java.nio.file.Path key = io.testum.testing.KeyGen.generate(tmp, "ed25519", 0, null, null, "oops@laptop");
        String secret = java.nio.file.Files.readString(key);
        List<String> body = secret.lines().filter(l -> !l.startsWith("-----")).toList();

        String page = browser(viewer).formParam("csrf", Auth.csrfOf(viewer)).formParam("key", secret)
                .post("/unmanaged-keys/search").then().statusCode(400).contentType(containsString("text/html"))
                .body(containsString("That is a private key")).extract().asString();
        assertThat(body).noneMatch(page::contains);
        String log = java.nio.file.Files.readString(java.nio.file.Path.of("target", "testum-test.log"));
        assertThat(body).noneMatch(log::contains);
        List<List<String>> audited = TestDatabase.rows("SELECT action, outcome, coalesce(target, ''), details::text FROM audit_log "
                + "ORDER BY id DESC LIMIT 1");
        assertThat(audited.get(0).subList(0, 2)).containsExactly("unmanaged_key.search", "failure");
        assertThat(body).noneMatch(line -> audited.get(0).toString().contains(line));

        String fingerprint = io.testum.testing.KeyGen.fingerprintLine(java.nio.file.Path.of(key + ".pub")).split("\\s+")[1];
        browser(viewer).formParam("csrf", Auth.csrfOf(viewer)).formParam("key", io.testum.testing.KeyGen.publicLine(key))
                .formParam("weak", "true").post("/unmanaged-keys/search").then().statusCode(303)
                .header("Location", org.hamcrest.Matchers.endsWith("/unmanaged-keys?fingerprint="
                        + java.net.URLEncoder.encode(fingerprint, java.nio.charset.StandardCharsets.UTF_8) + "&weak=true"));
        browser(viewer).get("/unmanaged-keys?fingerprint=MD5:aa").then().statusCode(400)
                .body(containsString("A fingerprint is SHA256:"));
    }

    private static final String WIDE = "SHA256:" + "W".repeat(43);
    private static final String LONE = "SHA256:" + "L".repeat(43);

    /** A key as a read of the hosts' files records it: {platform, account, fingerprint, type, bits, weak}. */
    private record Seen(String platform, String account, String fingerprint, String type, int bits, boolean weak) {
    }

    /** Stores the rows in one statement batch (this class has no SSH hosts to read them from). */
    private static void seen(List<Seen> rows) {
        try (var c = TestDatabase.connect(); var s = c.prepareStatement("INSERT INTO unmanaged_keys (platform_id, account, "
                + "fingerprint, key_type, bits, comment, options, weak, has_from) SELECT id, ?, ?, ?, ?, 'seen@host', NULL, ?, false "
                + "FROM platforms WHERE name = ?")) {
            for (Seen row : rows) {
                s.setString(1, row.account());
                s.setString(2, row.fingerprint());
                s.setString(3, row.type());
                s.setInt(4, row.bits());
                s.setBoolean(5, row.weak());
                s.setString(6, row.platform());
                s.addBatch();
            }
            assertThat(java.util.Arrays.stream(s.executeBatch()).sum()).isEqualTo(rows.size());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> groups(String page) {
        return java.util.regex.Pattern.compile("<details class=\"group\" data-fingerprint=\"([^\"]+)\"").matcher(page).results()
                .map(m -> m.group(1)).toList();
    }

    /**
     * The fleet page groups keys outside Git by fingerprint, the one on the most accounts first, lists
     * the first sightings of a big group and points to the export for the rest, and filters weak and
     * unknown keys; a key's page lists where it was seen and where its grant is not yet in sync.
     */
    @Test
    void groupsKeysOutsideGitByFingerprintLargestFirstAndShowsAKeysReach() {
        Auth.asAdmin();
        Fixtures.credential("deployer");
        for (String name : List.of("web-01", "web-02", "web-03")) {
            Fixtures.platform(name, Map.of("role", "web"));
        }
        Fixtures.key("alice", io.testum.keys.TestKeys.ED25519);
        String alice = given().get("/api/keys/alice").then().extract().path("fingerprint");
        Fixtures.grant("alice-on-web-01", List.of("alice"), List.of("web-01"), null);
        // The grant's block is stored in the background after the grant commits (seen in CI: the page came first).
        await("web-01's deployment record").atMost(Duration.ofSeconds(30))
                .until(() -> given().get("/api/deployments?platform=web-01").then().statusCode(200).extract()
                        .<Integer>path("total") > 0);
        Auth.anonymous();
        List<Seen> rows = new java.util.ArrayList<>();
        for (String name : List.of("web-01", "web-02", "web-03")) {
            for (int i = 0; i < 20; i++) {
                rows.add(new Seen(name, "app" + i, WIDE, "ssh-rsa", 1024, true));
            }
        }
        rows.add(new Seen("web-02", "deploy", LONE, "ssh-ed25519", 256, false));
        rows.add(new Seen("web-03", "deploy", alice, "ssh-ed25519", 256, false));
        rows.add(new Seen("web-02", "deploy", alice, "ssh-ed25519", 256, false));
        seen(rows);
        String viewer = Auth.tokenOf("groups-viewer", "viewer");

        String page = browser(viewer).get("/unmanaged-keys").then().statusCode(200).extract().asString();
        assertThat(groups(page)).containsExactly(WIDE, alice, LONE);
        assertThat(page).contains("60 accounts on 3 platforms", "2 accounts on 2 platforms", "1 account on 1 platform",
                "The first 50 of 60", "3 fingerprints");
        String wide = page.substring(page.indexOf("data-fingerprint=\"" + WIDE), page.indexOf("data-fingerprint=\"" + alice));
        assertThat(wide.split("<tr>", -1)).hasSize(1 + 1 + 50);
        assertThat(wide).contains("/api/unmanaged-keys/export?format=csv&amp;fingerprint=SHA256%3A" + "W".repeat(43));
        assertThat(groups(browser(viewer).get("/unmanaged-keys?weak=true").then().statusCode(200).extract().asString()))
                .containsExactly(WIDE);
        String unknown = browser(viewer).get("/unmanaged-keys?unknown=true").then().statusCode(200).extract().asString();
        assertThat(groups(unknown)).containsExactly(WIDE, LONE);
        assertThat(unknown).contains("/api/unmanaged-keys/export?format=json&amp;known=false");
        assertThat(groups(browser(viewer).get("/unmanaged-keys?fingerprint=" + LONE).then().statusCode(200).extract().asString()))
                .containsExactly(LONE);

        String key = browser(viewer).get("/keys/alice").then().statusCode(200).extract().asString();
        String outside = key.substring(key.indexOf("id=\"reach-unmanaged\""));
        assertThat(outside).contains("/platforms/web-02", "/platforms/web-03").doesNotContain("/platforms/web-01");
        String pending = key.substring(key.indexOf("id=\"reach-pending\""), key.indexOf("id=\"reach-unmanaged\""));
        assertThat(pending).contains("/platforms/web-01");
        assertThat(key).contains("No managed block in sync carries this key.");
    }

    /**
     * One interval of the access history as a deployment or drift check records it: the platform's
     * pair, what was seen, its bounds in hours before now (null: in force), why it ended, its keys
     * (name or null, fingerprint) and its changes as stored.
     */
    private record Held(String platform, String account, String observed, int fromHoursAgo, Integer toHoursAgo, String ended,
            List<String[]> keys, String changes) {
    }

    private static void held(List<Held> rows) {
        try (var c = TestDatabase.connect()) {
            for (Held h : rows) {
                long id;
                try (var s = c.prepareStatement("INSERT INTO access_intervals (platform_id, platform, account, observed, content_id, "
                        + "valid_from, valid_to, last_seen_at, ended, changes) SELECT id, name, ?, ?, md5(random()::text), "
                        + "now() - ? * interval '1 hour', now() - ? * interval '1 hour', now(), ?, ?::jsonb FROM platforms "
                        + "WHERE name = ? RETURNING id")) {
                    s.setString(1, h.account());
                    s.setString(2, h.observed());
                    s.setInt(3, h.fromHoursAgo());
                    s.setObject(4, h.toHoursAgo());
                    s.setString(5, h.ended());
                    s.setString(6, h.changes());
                    s.setString(7, h.platform());
                    var rs = s.executeQuery();
                    rs.next();
                    id = rs.getLong(1);
                }
                for (String[] key : h.keys()) {
                    try (var s = c.prepareStatement("INSERT INTO access_interval_keys (interval_id, fingerprint, name, platform, account, "
                            + "observed, valid_from, valid_to) SELECT id, ?, ?, platform, account, observed, valid_from, valid_to "
                            + "FROM access_intervals WHERE id = ?")) {
                        s.setString(1, key[1]);
                        s.setString(2, key[0]);
                        s.setLong(3, id);
                        s.executeUpdate();
                    }
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> observed(String history) {
        return java.util.regex.Pattern.compile("<li class=\"timeline-entry[^\"]*\" data-observed=\"([a-z]+)\"").matcher(history)
                .results().map(m -> m.group(1)).toList();
    }

    /**
     * The platform page shows each account's access history newest first: when each block was in
     * force (from, to, or in force now), its keys, the change behind it (a Git revision, an API call
     * and who made it, an expired grant), why it ended, and a block found changed on the host marked
     * as drift; a platform without history says so.
     */
    @Test
    void showsAPlatformsAccessHistoryAsATimelineWithCausesAndDriftMarked() {
        Auth.asAdmin();
        Fixtures.credential("deployer");
        Fixtures.platform("db-01", Map.of());
        Fixtures.platform("db-02", Map.of());
        Fixtures.key("alice", io.testum.keys.TestKeys.ED25519);
        String alice = given().get("/api/keys/alice").then().extract().path("fingerprint");
        Auth.anonymous();
        String revision = "0123456789abcdef0123456789abcdef01234567";
        held(List.of(
                new Held("db-01", "deploy", "managed", 72, 48, "changed_on_host", List.<String[]>of(new String[] { "alice", alice }),
                        "[{\"source\": \"main\", \"revision\": \"" + revision + "\", \"grants\": []}]"),
                new Held("db-01", "deploy", "drift", 48, 24, "deployed",
                        List.<String[]>of(new String[] { null, alice }, new String[] { null, LONE }), "[]"),
                new Held("db-01", "deploy", "managed", 24, null, null, List.<String[]>of(new String[] { "alice", alice }),
                        "[{\"source\": \"api\", \"actor\": \"carol\", \"request\": \"PUT /api/access-grants/dba\", \"grants\": []}]"),
                new Held("db-01", "app", "managed", 10, null, null, List.<String[]>of(),
                        "[{\"source\": \"expiry\", \"grants\": [\"temp-db\"]}]")));
        String viewer = Auth.tokenOf("history-viewer", "viewer");

        String page = browser(viewer).get("/platforms/db-01").then().statusCode(200).extract().asString();
        String history = page.substring(page.indexOf("id=\"history\""));
        String deploy = history.substring(history.indexOf("data-account=\"deploy\""));
        String app = history.substring(history.indexOf("data-account=\"app\""), history.indexOf("data-account=\"deploy\""));
        assertThat(observed(deploy)).containsExactly("managed", "drift", "managed");
        assertThat(observed(app)).containsExactly("managed");
        String current = deploy.substring(0, deploy.indexOf("data-observed=\"drift\""));
        assertThat(current).contains("in-force", "in force", "PUT /api/access-grants/dba by carol", "href=\"/keys/alice\"", alice);
        String drift = deploy.substring(deploy.indexOf("timeline-entry drift"), deploy.lastIndexOf("data-observed=\"managed\""));
        assertThat(drift).contains("changed on the host", LONE, "testum deployed the next block", "not recorded (seen on the host)")
                .doesNotContain("in force");
        String first = deploy.substring(deploy.lastIndexOf("data-observed=\"managed\""));
        assertThat(first).contains("main at 0123456789ab", "found changed on the host").doesNotContain(revision);
        assertThat(app).contains("grants expired: temp-db");
        assertThat(history).contains("/api/access-history/export?format=csv&amp;platform=db-01");

        String none = browser(viewer).get("/platforms/db-02").then().statusCode(200).extract().asString();
        assertThat(none.substring(none.indexOf("id=\"history\""))).contains("No access history yet");
        browser(viewer).header("Accept-Language", "ru").get("/platforms/db-01").then().statusCode(200)
                .body(containsString("История доступа")).body(containsString("изменён на хосте"));
    }

    @Test
    void speaksRussianWhenTheBrowserAsksForIt() {
        String admin = Auth.adminToken();
        browser(admin).header("Accept-Language", "ru-RU,ru;q=0.9,en;q=0.5").get("/").then().statusCode(200)
                .body(containsString("lang=\"ru\"")).body(containsString("Обзор парка"));
        browser(admin).header("Accept-Language", "ru").cookie("testum_lang", "en").get("/").then()
                .body(containsString("Fleet overview"));
    }
}

package io.testum.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.testum.testing.Auth;
import io.testum.testing.Fixtures;
import io.testum.testing.GitRepo;
import io.testum.testing.PostgresResource;
import io.testum.testing.TestDatabase;

/**
 * The pages of day-to-day operations over plain HTTP: GitOps sources' forms and the one-shot
 * import, forgetting a host key, schedules, alerts (admin, with a write-only URL and secret), the
 * deployment badge of the platforms list; each with its roles (a viewer sees no buttons and is
 * refused a forced post) and its CSRF check.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class OperationsPagesTest {

    private static final String TOKEN = "tok-never-shown-4711";
    private static final String WEBHOOK_SECRET = "whs-never-shown-0815";
    private static final String FINGERPRINT_OLD = "SHA256:" + "o".repeat(43);
    private static final String FINGERPRINT_NEW = "SHA256:" + "n".repeat(43);

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        Auth.anonymous();
    }

    private static RequestSpecification browser(String token) {
        return given().redirects().follow(false).cookie("testum_csrf", WebPagesTest.CSRF).cookie("testum_access", token);
    }

    private static RequestSpecification form(String token) {
        return browser(token).formParam("csrf", Auth.csrfOf(token));
    }

    private static void sql(String statement, Object... params) throws Exception {
        try (Connection c = TestDatabase.connect(); PreparedStatement s = c.prepareStatement(statement)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.executeUpdate();
        }
    }

    private static List<String> secrets(String source) {
        return TestDatabase.rows("SELECT token IS NOT NULL, webhook_secret IS NOT NULL FROM gitops_sources WHERE name = ?", source)
                .get(0);
    }

    @Test
    void adminCreatesEditsAndDeletesASourceWhoseSecretsNeverShowAndStayUnlessCleared() {
        String admin = Auth.adminToken();
        form(admin).formParam("name", "team").formParam("url", "https://git.example.test/team/infra.git")
                .formParam("branch", "main").formParam("interval", "5m").formParam("prune", "true")
                .formParam("token", TOKEN).formParam("webhook_secret", WEBHOOK_SECRET).post("/gitops").then().statusCode(303)
                .header("Location", containsString("/gitops/team"));
        assertThat(secrets("team")).containsExactly("t", "t");

        String page = browser(admin).get("/gitops/team").then().statusCode(200).extract().asString();
        assertThat(page).doesNotContain(TOKEN).doesNotContain(WEBHOOK_SECRET).contains("action=\"/gitops/team\"")
                .contains("name=\"clear_token\"").contains("name=\"clear_webhook_secret\"").contains("type=\"password\" name=\"token\" value=\"\"");

        // Empty secret fields keep the stored secrets; the other fields change.
        form(admin).formParam("url", "https://git.example.test/team/infra.git").formParam("branch", "release")
                .formParam("interval", "10m").formParam("token", "").formParam("webhook_secret", "").post("/gitops/team")
                .then().statusCode(303);
        assertThat(TestDatabase.rows("SELECT branch, interval_seconds, prune FROM gitops_sources WHERE name = 'team'").get(0))
                .containsExactly("release", "600", "f");
        assertThat(secrets("team")).containsExactly("t", "t");

        form(admin).formParam("url", "https://git.example.test/team/infra.git").formParam("clear_token", "true")
                .post("/gitops/team").then().statusCode(303);
        assertThat(secrets("team")).containsExactly("f", "t");

        form(admin).post("/gitops/team/delete").then().statusCode(303).header("Location", containsString("/gitops?notice=deleted"));
        assertThat(TestDatabase.rows("SELECT count(*) FROM gitops_sources WHERE name = 'team'")).containsExactly(List.of("0"));
        assertThat(TestDatabase.rows("SELECT action, target, outcome FROM audit_log WHERE action LIKE 'source.%' ORDER BY id"))
                .containsExactly(List.of("source.create", "team", "success"), List.of("source.update", "team", "success"),
                        List.of("source.update", "team", "success"), List.of("source.delete", "team", "success"));
        assertThat(TestDatabase.rows("SELECT count(*) FROM audit_log WHERE details::text LIKE ? OR details::text LIKE ?",
                "%" + TOKEN + "%", "%" + WEBHOOK_SECRET + "%")).containsExactly(List.of("0"));
    }

    @Test
    void showsABadSourceFormAsAnErrorPageAndCreatesNothing() {
        String admin = Auth.adminToken();
        form(admin).formParam("name", "bad").formParam("url", "not a url").formParam("interval", "1s").post("/gitops").then()
                .statusCode(400).contentType(containsString("text/html")).body(containsString("url"))
                .body(containsString("interval"));
        assertThat(TestDatabase.rows("SELECT count(*) FROM gitops_sources WHERE name = 'bad'")).containsExactly(List.of("0"));
    }

    @Test
    void refusesSourceFormsToViewersAndOperatorsAndWithoutTheCsrfToken() {
        String admin = Auth.adminToken();
        form(admin).formParam("name", "team").formParam("url", "https://git.example.test/t.git").post("/gitops").then()
                .statusCode(303);
        for (String role : List.of("viewer", "operator")) {
            String user = Auth.tokenOf("web-" + role, role);
            browser(user).get("/gitops").then().statusCode(200).body(not(containsString("action=\"/gitops\"")))
                    .body(not(containsString("href=\"/import\"")));
            browser(user).get("/gitops/team").then().statusCode(200).body(not(containsString("action=\"/gitops/team\"")))
                    .body(not(containsString("action=\"/gitops/team/delete\"")));
            form(user).formParam("name", "sneaky").formParam("url", "https://git.example.test/s.git").post("/gitops").then()
                    .statusCode(403).contentType(containsString("text/html"));
            form(user).formParam("url", "https://git.example.test/other.git").post("/gitops/team").then().statusCode(403);
            form(user).post("/gitops/team/delete").then().statusCode(403);
            browser(user).get("/import").then().statusCode(403);
            form(user).formParam("git_url", "file:///tmp/x").post("/import").then().statusCode(403);
        }
        browser(admin).formParam("name", "nocsrf").formParam("url", "https://git.example.test/n.git").post("/gitops").then()
                .statusCode(400);
        browser(admin).post("/gitops/team/delete").then().statusCode(400);
        assertThat(TestDatabase.rows("SELECT name, url FROM gitops_sources WHERE origin = 'api'"))
                .containsExactly(List.of("team", "https://git.example.test/t.git"));
    }

    @Test
    void importsOnceAfterADryRunThatShowsThePlanAndAppliesNothing(@TempDir Path dir) {
        GitRepo repo = GitRepo.init(dir);
        repo.commit("testum.yaml", "platforms:\n  - name: imported-01\n    host: 192.0.2.44\n    username: deploy\n"
                + "    auth_method: password\n", "one platform");
        String admin = Auth.adminToken();
        browser(admin).get("/import").then().statusCode(200).body(containsString("action=\"/import\""));

        String dryRun = form(admin).formParam("git_url", repo.url()).formParam("branch", "main")
                .formParam("config_path", "testum.yaml").post("/import").then().statusCode(200).extract().asString();
        assertThat(dryRun).contains("imported-01").contains("name=\"apply\"").contains(repo.head().substring(0, 12))
                .contains("nothing was applied");
        assertThat(TestDatabase.rows("SELECT count(*) FROM platforms WHERE name = 'imported-01'")).containsExactly(List.of("0"));

        form(admin).formParam("git_url", repo.url()).formParam("branch", "main").formParam("config_path", "testum.yaml")
                .formParam("apply", "true").formParam("previewed", repo.head()).post("/import").then().statusCode(200)
                .body(containsString("Revision " + repo.head().substring(0, 12) + " imported")).body(not(containsString("name=\"apply\"")));
        assertThat(TestDatabase.rows("SELECT source FROM platforms WHERE name = 'imported-01'")).containsExactly(List.of("api"));
        assertThat(TestDatabase.rows("SELECT action, outcome, details->>'dry_run' FROM audit_log WHERE action = 'gitops.import' "
                + "ORDER BY id")).containsExactly(List.of("gitops.import", "success", "true"),
                        List.of("gitops.import", "success", "false"));
    }

    @Test
    void adminForgetsAPinnedHostKeySeeingTheOldAndThePresentedFingerprint() throws Exception {
        Auth.asAdmin();
        Fixtures.credential("deployer");
        Fixtures.platform("web-01", Map.of());
        Auth.anonymous();
        sql("INSERT INTO host_key_pins (host, port, fingerprint, trusted, origin, pinned_by) VALUES ('192.0.2.10', 22, ?, false, "
                + "'first_contact', 'web-01')", FINGERPRINT_OLD);
        sql("INSERT INTO deployments (platform_id, account, path, status, desired_content, desired_hash, last_attempt_at, last_error) "
                + "SELECT id, 'deploy', '.ssh/authorized_keys', 'host_key_mismatch', '', 'h', now(), ? FROM platforms WHERE name = 'web-01'",
                "192.0.2.10:22 presented host key " + FINGERPRINT_NEW + ", but " + FINGERPRINT_OLD + " is pinned.");
        String admin = Auth.adminToken();
        browser(admin).get("/platforms/web-01").then().statusCode(200).body(containsString("href=\"/platforms/web-01/host-key\""));
        String page = browser(admin).get("/platforms/web-01/host-key").then().statusCode(200).extract().asString();
        assertThat(page).contains(FINGERPRINT_OLD).contains(FINGERPRINT_NEW).contains("action=\"/platforms/web-01/host-key/forget\"")
                .contains("name=\"confirm\"");

        String viewer = Auth.tokenOf("web-viewer", "viewer");
        String operator = Auth.tokenOf("web-operator", "operator");
        browser(viewer).get("/platforms/web-01").then().statusCode(200).body(not(containsString("/host-key")));
        browser(operator).get("/platforms/web-01/host-key").then().statusCode(403);
        form(viewer).formParam("confirm", "true").post("/platforms/web-01/host-key/forget").then().statusCode(403);
        form(operator).formParam("confirm", "true").post("/platforms/web-01/host-key/forget").then().statusCode(403);
        browser(admin).formParam("confirm", "true").post("/platforms/web-01/host-key/forget").then().statusCode(400);
        assertThat(TestDatabase.rows("SELECT fingerprint FROM host_key_pins")).containsExactly(List.of(FINGERPRINT_OLD));

        form(admin).formParam("confirm", "true").post("/platforms/web-01/host-key/forget").then().statusCode(303)
                .header("Location", containsString("/platforms/web-01?notice=host_key_forgotten"));
        assertThat(TestDatabase.rows("SELECT count(*) FROM host_key_pins")).containsExactly(List.of("0"));
        assertThat(TestDatabase.rows("SELECT actor, action, target, outcome FROM audit_log WHERE action = 'platform.forget-host-key' "
                + "ORDER BY id")).containsExactly(List.of("web-viewer", "platform.forget-host-key", "web-01", "denied"),
                        List.of("web-operator", "platform.forget-host-key", "web-01", "denied"),
                        List.of("admin", "platform.forget-host-key", "web-01", "failure"),
                        List.of("admin", "platform.forget-host-key", "web-01", "success"));
    }

    @Test
    void showsTheWorstDeploymentStateOfEachPlatformInTheList() throws Exception {
        Auth.asAdmin();
        Fixtures.credential("deployer");
        Fixtures.platform("web-01", Map.of());
        Fixtures.platform("web-02", Map.of());
        Fixtures.platform("web-03", Map.of());
        Auth.anonymous();
        String insert = "INSERT INTO deployments (platform_id, account, path, status, desired_content, desired_hash) "
                + "SELECT id, ?, '.ssh/authorized_keys', ?, '', 'h' FROM platforms WHERE name = ?";
        sql(insert, "deploy", "in_sync", "web-01");
        sql(insert, "root", "drifted", "web-01");
        sql(insert, "deploy", "in_sync", "web-02");
        String page = browser(Auth.tokenOf("web-viewer", "viewer")).get("/platforms").then().statusCode(200).extract().asString();
        assertThat(cell(page, "web-01")).contains("badge warn").contains("drifted");
        assertThat(cell(page, "web-02")).contains("badge ok").contains("in sync");
        assertThat(cell(page, "web-03")).contains("no accounts");
    }

    private static String cell(String page, String platform) {
        int start = page.indexOf("data-deployment=\"" + platform + "\"");
        assertThat(start).as("the deployment cell of " + platform).isPositive();
        return page.substring(start, page.indexOf("</td>", start));
    }

    @Test
    void operatorCreatesEditsAndDeletesASchedulePageWhileAViewerOnlyReadsIt() {
        Auth.asAdmin();
        Fixtures.credential("deployer");
        Fixtures.platform("web-01", Map.of("env", "prod"));
        Auth.anonymous();
        String operator = Auth.tokenOf("web-operator", "operator");
        form(operator).formParam("name", "nightly").formParam("cron", "0 3 * * *").formParam("timezone", "Europe/Berlin")
                .formParam("script", "echo hi").formParam("interpreter", "bash").formParam("env", "GREETING=secret-value-93")
                .formParam("selector", "env=prod").formParam("timeout_seconds", "30").formParam("misfire", "run-once")
                .formParam("enabled", "true").post("/schedules").then().statusCode(303)
                .header("Location", containsString("/schedules/nightly"));
        String page = browser(operator).get("/schedules/nightly").then().statusCode(200).extract().asString();
        assertThat(page).contains("0 3 * * *").contains("Europe/Berlin").contains("GREETING").doesNotContain("secret-value-93")
                .contains("action=\"/schedules/nightly\"").contains("<time datetime=\"");

        // An empty environment field keeps the stored values.
        form(operator).formParam("cron", "30 4 * * 1-5").formParam("script", "echo hi").formParam("selector", "env=prod")
                .formParam("misfire", "skip").post("/schedules/nightly").then().statusCode(303);
        assertThat(TestDatabase.rows("SELECT cron, misfire, enabled, env_names::text, env_sealed IS NOT NULL FROM schedules"))
                .containsExactly(List.of("30 4 * * 1-5", "skip", "f", "[\"GREETING\"]", "t"));

        String viewer = Auth.tokenOf("web-viewer", "viewer");
        browser(viewer).get("/schedules").then().statusCode(200).body(containsString("nightly"))
                .body(not(containsString("action=\"/schedules\"")));
        browser(viewer).get("/schedules/nightly").then().statusCode(200).body(not(containsString("action=\"/schedules/nightly")));
        form(viewer).formParam("name", "sneaky").formParam("cron", "* * * * *").formParam("command", "id")
                .formParam("platforms", "web-01").post("/schedules").then().statusCode(403);
        form(viewer).post("/schedules/nightly/delete").then().statusCode(403);
        browser(operator).post("/schedules/nightly/delete").then().statusCode(400);
        assertThat(TestDatabase.rows("SELECT name FROM schedules")).containsExactly(List.of("nightly"));

        form(operator).post("/schedules/nightly/delete").then().statusCode(303);
        assertThat(TestDatabase.rows("SELECT count(*) FROM schedules")).containsExactly(List.of("0"));
    }

    @Test
    void showsAGitManagedScheduleReadOnly() throws Exception {
        sql("INSERT INTO schedules (name, cron, command, targets, source) VALUES ('from-git', '*/5 * * * *', 'uptime', "
                + "'{\"platforms\": [\"web-01\"]}'::jsonb, 'team')");
        String operator = Auth.tokenOf("web-operator", "operator");
        browser(operator).get("/schedules/from-git").then().statusCode(200).body(containsString("uptime"))
                .body(not(containsString("action=\"/schedules/from-git\"")))
                .body(not(containsString("action=\"/schedules/from-git/delete\"")));
        form(operator).formParam("cron", "* * * * *").formParam("command", "id").formParam("platforms", "web-01")
                .post("/schedules/from-git").then().statusCode(409);
        assertThat(TestDatabase.rows("SELECT cron FROM schedules")).containsExactly(List.of("*/5 * * * *"));
    }

    @Test
    void writesTimesRelativeWithTheExactUtcTimeOnHoverInBothLanguages() throws Exception {
        Auth.asAdmin();
        Fixtures.credential("deployer");
        Fixtures.platform("web-01", Map.of());
        Auth.anonymous();
        sql("UPDATE platforms SET last_seen_at = now() - interval '3 minutes'");
        String viewer = Auth.tokenOf("web-viewer", "viewer");
        browser(viewer).get("/platforms").then().statusCode(200)
                .body(matchesPattern("(?s).*<time datetime=\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\" "
                        + "title=\"\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\">3 min ago</time>.*"));
        browser(viewer).header("Accept-Language", "ru").get("/platforms").then().statusCode(200)
                .body(containsString(">3 мин назад</time>"));
    }

    @Test
    void translatesTheCommonFieldErrorsOfAFormIntoThePagesLanguage() {
        String operator = Auth.tokenOf("web-operator", "operator");
        form(operator).header("Accept-Language", "ru").formParam("name", "nightly").formParam("timezone", "Mars/Olympus")
                .formParam("command", "id").formParam("misfire", "sometimes").post("/schedules").then().statusCode(400)
                .body(containsString("cron: обязательное поле"))
                .body(containsString("timezone: «Mars/Olympus» — не часовой пояс"))
                .body(containsString("misfire: должно быть одним из: skip, run-once"))
                .body(containsString("targets: укажите платформы, селектор или и то и другое"));
        form(operator).header("Accept-Language", "en").formParam("name", "nightly").formParam("command", "id").post("/schedules")
                .then().statusCode(400).body(containsString("cron: is required"));
        assertThat(TestDatabase.rows("SELECT count(*) FROM schedules")).containsExactly(List.of("0"));
    }

    private static final String ALERT_URL = "https://hooks.example.test/hook/URL-TOKEN-4711?key=QUERY-TOKEN-0815";
    private static final String ALERT_SECRET = "alert-secret-never-shown-1234";

    private static String sealed(String alert) {
        return TestDatabase.rows("SELECT encode(url_sealed, 'hex') || '/' || coalesce(encode(secret_sealed, 'hex'), '') FROM alerts "
                + "WHERE name = ?", alert).get(0).get(0);
    }

    @Test
    void adminCreatesEditsAndDeletesAnAlertWhoseUrlTokenAndSecretNeverShowAndStayUnlessReplaced() throws Exception {
        String admin = Auth.adminToken();
        browser(admin).get("/").then().statusCode(200).body(containsString("href=\"/alerts\""));
        form(admin).formParam("name", "ops").formParam("type", "webhook").formParam("url", ALERT_URL)
                .formParam("secret", ALERT_SECRET).formParam("events", "deployment.failed").formParam("events", "run.failed")
                .formParam("selector", "env=prod").formParam("enabled", "true").post("/alerts").then().statusCode(303)
                .header("Location", containsString("/alerts/ops?notice=created"));
        assertThat(TestDatabase.rows("SELECT type, url_shown, events::text, selector::text, enabled, secret_sealed IS NOT NULL "
                + "FROM alerts")).containsExactly(List.of("webhook", "https://hooks.example.test/…",
                        "[\"deployment.failed\", \"run.failed\"]", "{\"env\": \"prod\"}", "t", "t"));
        String stored = sealed("ops");
        sql("INSERT INTO alert_deliveries (alert, event_id, event, subject, payload, status, attempts, last_http_status, last_error) "
                + "VALUES ('ops', gen_random_uuid(), 'run.failed', 'run:42', jsonb_build_object('occurred_at', ?::text), 'failed', 4, 500, "
                + "'the receiver answered 500')", java.time.Instant.now().minusSeconds(120).toString());

        for (String path : List.of("/alerts", "/alerts/ops")) {
            String page = browser(admin).get(path).then().statusCode(200).extract().asString();
            assertThat(page).as(path).doesNotContain("URL-TOKEN-4711").doesNotContain("QUERY-TOKEN-0815")
                    .doesNotContain(ALERT_SECRET).contains("https://hooks.example.test/…");
        }
        String page = browser(admin).get("/alerts/ops").then().statusCode(200).extract().asString();
        assertThat(page).contains("action=\"/alerts/ops\"").contains("action=\"/alerts/ops/delete\"")
                .contains("name=\"url\" class=\"mono\" value=\"\"").contains("type=\"password\" name=\"secret\" value=\"\"")
                .contains("value=\"run.failed\" checked").contains("value=\"source.stalled\">").contains("env=prod")
                .contains("Delivery log (1 in all)").contains("run:42").contains("the receiver answered 500");

        // Empty URL and secret fields keep the stored ones; events, selector and enabled change.
        form(admin).formParam("type", "webhook").formParam("url", "").formParam("secret", "")
                .formParam("events", "deployment.failed").formParam("selector", "").post("/alerts/ops").then().statusCode(303)
                .header("Location", containsString("/alerts/ops?notice=saved"));
        assertThat(TestDatabase.rows("SELECT events::text, selector::text, enabled FROM alerts"))
                .containsExactly(List.of("[\"deployment.failed\"]", "{}", "f"));
        assertThat(sealed("ops")).isEqualTo(stored);

        form(admin).formParam("type", "webhook").formParam("url", "https://other.example.test/new-token-77")
                .formParam("events", "deployment.failed").formParam("enabled", "true").post("/alerts/ops").then().statusCode(303);
        assertThat(TestDatabase.rows("SELECT url_shown, enabled FROM alerts"))
                .containsExactly(List.of("https://other.example.test/…", "t"));
        assertThat(sealed("ops").split("/")[1]).as("the secret stays").isEqualTo(stored.split("/")[1]);
        browser(admin).get("/alerts/ops").then().statusCode(200).body(not(containsString("new-token-77")));

        form(admin).post("/alerts/ops/delete").then().statusCode(303).header("Location", containsString("/alerts?notice=deleted"));
        assertThat(TestDatabase.rows("SELECT count(*) FROM alerts")).containsExactly(List.of("0"));
        assertThat(TestDatabase.rows("SELECT action, target, outcome FROM audit_log WHERE action LIKE 'alert.%' ORDER BY id"))
                .containsExactly(List.of("alert.create", "ops", "success"), List.of("alert.update", "ops", "success"),
                        List.of("alert.update", "ops", "success"), List.of("alert.delete", "ops", "success"));
        assertThat(TestDatabase.rows("SELECT count(*) FROM audit_log WHERE details::text LIKE ? OR details::text LIKE ? "
                + "OR details::text LIKE ?", "%URL-TOKEN-4711%", "%" + ALERT_SECRET + "%", "%new-token-77%"))
                .containsExactly(List.of("0"));
    }

    @Test
    void showsABadAlertFormAsAnErrorPageNamingTheFieldAndCreatesNothing() {
        String admin = Auth.adminToken();
        form(admin).formParam("name", "bad").formParam("type", "webhook").formParam("url", "file:///etc/passwd")
                .formParam("secret", ALERT_SECRET).formParam("events", "run.failed").post("/alerts").then().statusCode(400)
                .contentType(containsString("text/html")).body(containsString("url: must be an http or https URL"));
        form(admin).formParam("name", "bad").formParam("type", "webhook").formParam("url", "http://hooks.example.test/x#frag")
                .formParam("secret", ALERT_SECRET).formParam("events", "run.failed").post("/alerts").then().statusCode(400)
                .body(containsString("url: must not have a #fragment"));
        form(admin).formParam("name", "bad").formParam("type", "webhook").formParam("url", ALERT_URL).formParam("secret", ALERT_SECRET)
                .formParam("events", "run.failed").formParam("events", "no.such.event").post("/alerts").then().statusCode(400)
                .body(containsString("events[1]: &#39;no.such.event&#39; is not an event"));
        form(admin).formParam("name", "bad").formParam("type", "webhook").formParam("url", ALERT_URL).formParam("secret", "short")
                .post("/alerts").then().statusCode(400).body(containsString("secret: must be 16 to 512 characters"))
                .body(containsString("events: is required")).body(not(containsString("short")));
        form(admin).formParam("name", "bad").formParam("type", "webhook").formParam("url", ALERT_URL).formParam("secret", ALERT_SECRET)
                .formParam("events", "run.failed").formParam("selector", "nolabel").post("/alerts").then().statusCode(400)
                .body(containsString("selector: &#39;nolabel&#39; must be key=value"));
        assertThat(TestDatabase.rows("SELECT count(*) FROM alerts")).containsExactly(List.of("0"));
        assertThat(TestDatabase.rows("SELECT count(*) FROM audit_log WHERE details::text LIKE ?", "%URL-TOKEN-4711%"))
                .containsExactly(List.of("0"));
    }

    @Test
    void refusesTheAlertsPagesAndFormsToViewersAndOperatorsAndWithoutTheCsrfToken() {
        String admin = Auth.adminToken();
        form(admin).formParam("name", "ops").formParam("type", "slack").formParam("url", ALERT_URL)
                .formParam("events", "run.failed").formParam("enabled", "true").post("/alerts").then().statusCode(303);
        for (String role : List.of("viewer", "operator")) {
            String user = Auth.tokenOf("web-" + role, role);
            browser(user).get("/").then().statusCode(200).body(not(containsString("href=\"/alerts\"")));
            browser(user).get("/schedules").then().statusCode(200).body(not(containsString("/alerts")));
            browser(user).get("/alerts").then().statusCode(403).contentType(containsString("text/html"))
                    .body(not(containsString("action=\"/alerts\"")));
            browser(user).get("/alerts/ops").then().statusCode(403).body(not(containsString("hooks.example.test")));
            form(user).formParam("name", "sneaky").formParam("type", "slack").formParam("url", "https://evil.example.test/x")
                    .formParam("events", "run.failed").post("/alerts").then().statusCode(403).contentType(containsString("text/html"));
            form(user).formParam("type", "slack").formParam("url", "https://evil.example.test/x").formParam("events", "run.failed")
                    .post("/alerts/ops").then().statusCode(403);
            form(user).post("/alerts/ops/delete").then().statusCode(403);
        }
        browser(admin).formParam("name", "nocsrf").formParam("type", "slack").formParam("url", "https://evil.example.test/x")
                .formParam("events", "run.failed").post("/alerts").then().statusCode(400);
        browser(admin).formParam("type", "slack").formParam("url", "https://evil.example.test/x").formParam("events", "run.failed")
                .post("/alerts/ops").then().statusCode(400);
        browser(admin).post("/alerts/ops/delete").then().statusCode(400);
        assertThat(TestDatabase.rows("SELECT name, url_shown, events::text FROM alerts"))
                .containsExactly(List.of("ops", "https://hooks.example.test/…", "[\"run.failed\"]"));
        assertThat(TestDatabase.rows("SELECT actor, action, outcome FROM audit_log WHERE action LIKE 'alert.%' AND actor <> 'admin' "
                + "ORDER BY id")).hasSize(6).allMatch(r -> r.get(2).equals("denied"));
    }

    @Test
    void showsAGitManagedAlertReadOnly() throws Exception {
        sql("INSERT INTO alerts (name, type, url_sealed, url_shown, events, source) VALUES ('from-git', 'slack', '\\x00'::bytea, "
                + "'https://hooks.example.test/…', '[\"run.failed\"]'::jsonb, 'team')");
        String admin = Auth.adminToken();
        browser(admin).get("/alerts/from-git").then().statusCode(200).body(containsString("Managed by the GitOps source team"))
                .body(not(containsString("action=\"/alerts/from-git\""))).body(not(containsString("action=\"/alerts/from-git/delete\"")));
        form(admin).formParam("type", "slack").formParam("events", "run.failed").post("/alerts/from-git").then().statusCode(409);
        form(admin).post("/alerts/from-git/delete").then().statusCode(409);
        assertThat(TestDatabase.rows("SELECT count(*) FROM alerts")).containsExactly(List.of("1"));
    }

    @Test
    void anAdminSetsOnlyWhatGitLeavesOutOfAGitManagedWebhookOnItsPage() throws Exception {
        sql("INSERT INTO alerts (name, type, url_sealed, url_shown, url_digest, events, source) VALUES ('git-hook', 'webhook', "
                + "'\\x00'::bytea, 'https://hooks.example.test/…', 'digest', '[\"run.failed\"]'::jsonb, 'team')");
        String admin = Auth.adminToken();
        browser(admin).get("/alerts/git-hook").then().statusCode(200)
                .body(containsString("id=\"waiting-for\"")).body(containsString("<code>secret</code>"))
                .body(containsString("action=\"/alerts/git-hook/secrets\"")).body(containsString("name=\"secret\""))
                .body(not(containsString("name=\"url\"")));
        String viewer = Auth.tokenOf("alerts-viewer", "viewer");
        form(viewer).formParam("secret", "a-secret-of-the-viewer-1").post("/alerts/git-hook/secrets").then().statusCode(403);
        form(admin).formParam("url", "https://elsewhere.example.test/x").post("/alerts/git-hook/secrets").then().statusCode(409);
        assertThat(TestDatabase.rows("SELECT secret_sealed IS NULL FROM alerts")).containsExactly(List.of("t"));

        form(admin).formParam("secret", "the-signing-secret-from-the-ui").post("/alerts/git-hook/secrets").then().statusCode(303)
                .header("Location", containsString("/alerts/git-hook?notice=saved"));
        assertThat(TestDatabase.rows("SELECT secret_sealed IS NOT NULL, source, events::text FROM alerts"))
                .containsExactly(List.of("t", "team", "[\"run.failed\"]"));
        browser(admin).get("/alerts/git-hook").then().statusCode(200).body(not(containsString("id=\"waiting-for\"")))
                .body(not(containsString("the-signing-secret-from-the-ui")));
    }

    @Test
    void saysTheAlertFormsFieldErrorsInRussianToARussianBrowser() {
        String admin = Auth.adminToken();
        form(admin).header("Accept-Language", "ru").formParam("name", "bad").formParam("type", "webhook")
                .formParam("url", "ftp://hooks.example.test/x").formParam("secret", "short").formParam("events", "no.such")
                .post("/alerts").then().statusCode(400)
                .body(containsString("url: должно быть URL вида http:// или https://"))
                .body(containsString("secret: должно быть от 16 до 512 символов"))
                .body(containsString("events[0]: «no.such» — не событие; укажите одно из: source.stalled"));
        form(admin).header("Accept-Language", "ru").formParam("name", "bad").formParam("type", "email").formParam("url", ALERT_URL)
                .formParam("events", "run.failed").post("/alerts").then().statusCode(400)
                .body(containsString("type: должно быть одним из: webhook, slack"));
        assertThat(TestDatabase.rows("SELECT count(*) FROM alerts")).containsExactly(List.of("0"));
        browser(admin).header("Accept-Language", "ru").get("/alerts").then().statusCode(200)
                .body(containsString("<h1>Оповещения</h1>")).body(containsString("Новое оповещение"))
                .body(containsString("запуск завершился ошибкой или по тайм-ауту"));
    }
}

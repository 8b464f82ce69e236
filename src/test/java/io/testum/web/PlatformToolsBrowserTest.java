package io.testum.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.sql.Connection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.testum.testing.Auth;
import io.testum.testing.BrowserResource;
import io.testum.testing.Fixtures;
import io.testum.testing.KeyGen;
import io.testum.testing.GitRepoResource;
import io.testum.testing.PostgresResource;
import io.testum.testing.SshFleet;
import io.testum.testing.TestDatabase;
import io.testum.testing.WithSshFleet;

/**
 * A platform's tools in a real browser (Debian's Chromium, driven by Playwright) on a real sshd host:
 * forgetting a pinned host key the host's key no longer matches (the admin sees the pinned and the
 * presented fingerprints, confirms, and the next deployment pins the host's key and converges; a
 * viewer gets no link and is refused the post it forces), and the containers and their logs, read
 * from a stand-in {@code docker} on the account's PATH (the machine has no docker daemon). Same test
 * resources as {@link WebBrowserTest}, so the application is shared.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithSshFleet(hosts = 2)
@WithTestResource(BrowserResource.class)
@WithTestResource(GitRepoResource.class)
class PlatformToolsBrowserTest {

    /** A pin the host's real key does not match, as after a host was reinstalled (or impersonated). */
    private static final String OLD_PIN = "SHA256:" + "A".repeat(43);

    private SshFleet fleet;
    private Browser browser;

    @TestHTTPResource("/")
    URL base;

    private BrowserContext context;

    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() throws Exception {
        TestDatabase.reset();
        Auth.asAdmin();
        String key = post("/api/credentials/generate", Map.of("name", "runner")).statusCode(201).extract().path("public_key");
        SshFleet.Host host = fleet.host(0);
        host.writeAuthorizedKeys(key + "\n");
        post("/api/platforms", Map.of("name", "host-0", "host", host.address(), "port", host.port(), "username", host.user(),
                "auth_method", "key", "credential", "runner")).statusCode(201);
        Path alice = KeyGen.generate(tmp, "ed25519", 0, null, null, "alice@laptop");
        Fixtures.key("alice", KeyGen.publicLine(alice));
        post("/api/access", Map.of("name", "ops", "keys", List.of("alice"), "platforms", List.of("host-0"))).statusCode(201);
        assertThat(deployStatus()).as("the first contact pins the host's key").isEqualTo("in_sync");
        Auth.anonymous();
        context = browser.newContext(new Browser.NewContextOptions().setLocale("en-US").setViewportSize(1280, 900));
        context.setDefaultTimeout(20_000);
    }

    /** The pin no longer matches the host's key, and the deployment says so. */
    private void pinAnotherKey() throws Exception {
        Auth.asAdmin();
        try (Connection c = TestDatabase.connect();
                PreparedStatement s = c.prepareStatement("UPDATE host_key_pins SET fingerprint = ? WHERE port = ?")) {
            s.setString(1, OLD_PIN);
            s.setInt(2, fleet.host(0).port());
            assertEquals(1, s.executeUpdate());
        }
        assertThat(deployStatus()).isEqualTo("host_key_mismatch");
        Auth.anonymous();
    }

    @AfterEach
    void closeContext() {
        context.close();
        Auth.anonymous();
    }

    private static String deployStatus() {
        return given().post("/api/platforms/host-0/deploy-keys").then().statusCode(200).extract().path("deployments[0].status");
    }

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    private Page login(String username, String password) {
        Page page = context.newPage();
        page.navigate(url("/login"));
        page.getByLabel("User name").fill(username);
        page.getByLabel("Password").fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
        assertThat(page.locator("h1")).hasText("Fleet overview");
        return page;
    }

    @Test
    void adminForgetsAMismatchedPinSeeingBothFingerprintsAndTheNextDeploymentPinsTheHostsKey() throws Exception {
        pinAnotherKey();
        Page page = login(Auth.ADMIN, Auth.ADMIN_PASSWORD);
        page.navigate(url("/platforms/host-0"));
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Host key").setExact(true)).click();
        assertThat(page).hasURL(Pattern.compile(".*/platforms/host-0/host-key$"));
        assertThat(page.locator("#pinned")).containsText(OLD_PIN);
        String presented = page.locator("#presented code").textContent();
        assertThat(presented).startsWith("SHA256:").isNotEqualTo(OLD_PIN);

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Forget the pinned host key")).click();
        assertThat(page).hasURL(Pattern.compile(".*/platforms/host-0/host-key$"));
        page.locator("#forget-host-key input[name=confirm]").check();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Forget the pinned host key")).click();
        assertThat(page).hasURL(Pattern.compile(".*/platforms/host-0\\?notice=host_key_forgotten$"));
        assertThat(page.locator("body")).containsText("Host key forgotten");
        assertThat(TestDatabase.rows("SELECT fingerprint FROM host_key_pins")).as("forgotten (and maybe pinned anew already, "
                + "by the redeployment the forget starts)").doesNotContain(List.of(OLD_PIN));

        Auth.asAdmin();
        assertThat(deployStatus()).isEqualTo("in_sync");
        assertThat(TestDatabase.rows("SELECT fingerprint FROM host_key_pins")).containsExactly(List.of(presented));
    }

    @Test
    void aViewerGetsNoHostKeyLinkAndIsRefusedTheForgetItForces() throws Exception {
        pinAnotherKey();
        Auth.tokenOf("ui-viewer", "viewer");
        Page page = login("ui-viewer", Auth.PASSWORD);
        page.navigate(url("/platforms/host-0"));
        assertThat(page.locator("h1")).containsText("host-0");
        assertThat(page.locator("a[href='/platforms/host-0/host-key']")).hasCount(0);
        Page refused = context.newPage();
        refused.navigate(url("/platforms/host-0/host-key"));
        assertThat(refused.locator("#forget-host-key")).hasCount(0);

        String csrf = page.locator("input[name=csrf]").first().inputValue();
        APIResponse forced = context.request().post(url("/platforms/host-0/host-key/forget"), RequestOptions.create()
                .setForm(FormData.create().set("csrf", csrf).set("confirm", "true")).setMaxRedirects(0));
        assertEquals(403, forced.status());
        assertThat(TestDatabase.rows("SELECT fingerprint FROM host_key_pins")).containsExactly(List.of(OLD_PIN));
    }

    @Test
    void showsThePlatformsContainersAndTheLogsOfOneWithTheTailAsked() throws Exception {
        SshFleet.Host host = fleet.host(0);
        Path bin = host.home().resolve("bin");
        Files.createDirectories(bin);
        Files.writeString(bin.resolve("docker"), """
                #!/bin/sh
                case "$1" in
                  ps) printf '%s\\n' '{"CreatedAt":"2024-05-01 10:00:00 +0200 CEST","ID":"3f4e5a6b7c8d","Image":"nginx:1.25","Names":"web","Ports":"0.0.0.0:8080->80/tcp","State":"running","Status":"Up 2 hours"}' \\
                        '{"CreatedAt":"2023-12-31 23:59:59 +0000 UTC","ID":"a1b2c3d4e5f6","Image":"busybox","Names":"job","Ports":"","State":"exited","Status":"Exited (3) 4 months ago"}' ;;
                  logs) echo "asked: $*"; echo "GET / 200"; echo "warn: slow upstream" >&2 ;;
                  *) echo "docker: unknown command $1" >&2; exit 125 ;;
                esac
                """);
        Files.setPosixFilePermissions(bin.resolve("docker"), PosixFilePermissions.fromString("rwxr-xr-x"));
        host.reconfigure("SetEnv PATH=" + bin + ":/usr/bin:/bin");
        try {
            Page page = login(Auth.ADMIN, Auth.ADMIN_PASSWORD);
            page.navigate(url("/platforms/host-0"));
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Containers").setExact(true)).click();
            assertThat(page.locator("h1")).hasText("Containers on host-0");
            var rows = page.locator("table tbody tr");
            assertThat(rows).hasCount(2);
            assertThat(rows.nth(0)).containsText("web");
            assertThat(rows.nth(0)).containsText("nginx:1.25");
            assertThat(rows.nth(0)).containsText("0.0.0.0:8080->80/tcp");
            assertThat(rows.nth(1)).containsText("Exited (3) 4 months ago");

            rows.nth(0).getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Logs")).click();
            assertThat(page.locator("h1")).containsText("3f4e5a6b7c8d");
            assertThat(page.locator("pre.output").first()).containsText("asked: logs --tail 200 -- 3f4e5a6b7c8d");
            assertThat(page.locator("pre.output").nth(1)).containsText("warn: slow upstream");
            page.getByLabel("Last lines").fill("5");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Show")).click();
            assertThat(page.locator("pre.output").first()).containsText("asked: logs --tail 5 -- 3f4e5a6b7c8d");
        } finally {
            host.reconfigure();
        }
    }
}

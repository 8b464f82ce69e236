package io.testum.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.testum.testing.Fixtures.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
import io.testum.testing.GitRepo;
import io.testum.testing.GitRepoResource;
import io.testum.testing.KeyGen;
import io.testum.testing.PostgresResource;
import io.testum.testing.SshFleet;
import io.testum.testing.TestDatabase;
import io.testum.testing.WithSshFleet;

/**
 * The UI in a real browser (Debian's Chromium, driven by Playwright) against a real sshd and Git
 * repository. One browser for the class; a fresh browser context (cookies, storage) per test.
 * Screenshots of every page go to {@code target/ui-screenshots} for review.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithSshFleet(hosts = 2)
@WithTestResource(BrowserResource.class)
@WithTestResource(GitRepoResource.class)
class WebBrowserTest {

    static final Path SCREENSHOTS = Paths.get("target", "ui-screenshots");

    private SshFleet fleet;
    private Browser browser;
    private GitRepo repo;

    @jakarta.inject.Inject
    io.testum.deploy.DeploymentService deployments;

    @org.junit.jupiter.api.io.TempDir
    Path tmp;

    /** The public key testum logs in with (the credential {@code runner}). */
    private String runnerKey;

    @TestHTTPResource("/")
    URL base;

    private BrowserContext context;

    @BeforeAll
    static void screenshotDirectory() throws Exception {
        Files.createDirectories(SCREENSHOTS);
    }

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        Auth.asAdmin();
        String key = post("/api/credentials/generate", Map.of("name", "runner")).statusCode(201).extract().path("public_key");
        runnerKey = key;
        SshFleet.Host host = fleet.host(0);
        host.writeAuthorizedKeys(key + "\n");
        post("/api/platforms", Map.of("name", "host-0", "host", host.address(), "port", host.port(), "username", host.user(),
                "auth_method", "key", "credential", "runner", "labels", Map.of("env", "test"))).statusCode(201);
        Auth.anonymous();
        context = browser.newContext(new Browser.NewContextOptions().setLocale("en-US").setViewportSize(1280, 900));
        context.setDefaultTimeout(20_000);
    }

    @AfterEach
    void closeContext() {
        context.close();
        Auth.anonymous();
    }

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    private Page login(String username, String password) {
        Page page = context.newPage();
        page.navigate(url("/"));
        assertThat(page).hasURL(Pattern.compile(".*/login.*"));
        page.getByLabel("User name").fill(username);
        page.getByLabel("Password").fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
        return page;
    }

    @Test
    void logsInRunsACommandOnAPlatformWithLiveOutputAndLogsOut() {
        Page page = login(Auth.ADMIN, Auth.ADMIN_PASSWORD);
        assertThat(page.locator("h1")).hasText("Fleet overview");

        page.getByRole(AriaRole.NAVIGATION).getByText("Platforms").click();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("host-0")).click();
        assertThat(page.locator("h1")).containsText("host-0");

        page.getByLabel("Command").fill("echo live-start; sleep 3; echo live-end");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run").setExact(true)).click();
        var output = page.locator("[data-host='host-0'] pre");
        assertThat(output).containsText("live-start");
        assertFalse(output.textContent().contains("live-end"), "the first line arrives before the command ends");
        assertEquals("live", page.locator(".run-output").getAttribute("data-state"), "the run is still being followed");

        assertThat(page.locator(".run-output")).hasAttribute("data-state", "done", new com.microsoft.playwright.assertions
                .LocatorAssertions.HasAttributeOptions().setTimeout(30_000));
        assertThat(output).containsText("live-end");
        assertThat(page.locator("#run-status")).hasText("succeeded");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log out")).click();
        assertThat(page).hasURL(Pattern.compile(".*/login$"));
        page.navigate(url("/platforms"));
        assertThat(page).hasURL(Pattern.compile(".*/login\\?next=.*"));
    }

    @Test
    void startsAScriptRunFromTheRunsPageAndShowsItsOutputButNeverItsEnvironmentValues() {
        Page page = login(Auth.ADMIN, Auth.ADMIN_PASSWORD);
        page.navigate(url("/runs"));
        page.getByText("Start a run").click();
        page.locator("textarea[name=script]").fill("import os, sys\nprint('py', sys.argv[1], len(os.environ['API_TOKEN']))");
        page.locator("input[name=interpreter]").fill("python3");
        page.locator("textarea[name=args]").fill("first arg");
        page.locator("textarea[name=env]").fill("API_TOKEN=hidden-value-42");
        page.getByLabel("Platforms").fill("host-0");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start")).click();

        assertThat(page.locator("#run-status")).hasText("succeeded", new com.microsoft.playwright.assertions
                .LocatorAssertions.HasTextOptions().setTimeout(30_000));
        assertThat(page.locator("[data-host='host-0'] pre")).containsText("py first arg 15");
        assertThat(page.locator("main")).containsText("script (python3)");
        assertThat(page.locator("main")).containsText("API_TOKEN");
        assertFalse(page.content().contains("hidden-value-42"), "an environment value is never shown");
        page.navigate(url("/runs"));
        assertThat(page.locator("table")).containsText("script (python3)");
    }

    @Test
    void renewsAnExpiredAccessTokenWithTheRefreshCookieAndReturnsToThePage() {
        Page page = login(Auth.ADMIN, Auth.ADMIN_PASSWORD);
        assertThat(page.locator("h1")).hasText("Fleet overview");
        context.clearCookies(new BrowserContext.ClearCookiesOptions().setName("testum_access"));
        page.navigate(url("/platforms?label=env%3Dtest"));
        assertThat(page).hasURL(Pattern.compile(".*/platforms\\?label=env%3Dtest$"));
        assertThat(page.locator("h1")).hasText("Platforms");
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("host-0"))).hasCount(1);
    }

    @Test
    void showsAViewerNoRunButtonAndRefusesTheRunItForces() {
        Auth.tokenOf("ui-viewer", "viewer");
        Page page = login("ui-viewer", Auth.PASSWORD);
        page.navigate(url("/platforms/host-0"));
        assertThat(page.locator("h1")).containsText("host-0");
        assertThat(page.locator("#run-form")).hasCount(0);
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run").setExact(true))).hasCount(0);
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Test SSH"))).hasCount(0);
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Deploy keys now"))).hasCount(0);

        String csrf = page.locator("input[name=csrf]").first().inputValue();
        APIResponse forced = context.request().post(url("/platforms/host-0/run"), RequestOptions.create()
                .setForm(FormData.create().set("csrf", csrf).set("command", "id")).setMaxRedirects(0));
        assertEquals(403, forced.status());
        assertTrue(forced.text().contains("Your role does not allow this"), forced.text());
    }

    @Test
    void createsASourceThroughItsFormWithASecretTheEditFormNeverShowsAndAViewerGetsNoForms() {
        Page page = login(Auth.ADMIN, Auth.ADMIN_PASSWORD);
        assertThat(page.locator("h1")).hasText("Fleet overview");
        page.navigate(url("/gitops"));
        page.getByText("New source").click();
        var form = page.locator("#source-form");
        form.getByLabel("Name", new Locator.GetByLabelOptions().setExact(true)).fill("ui-team");
        form.getByLabel("Repository").fill(repo.url());
        form.getByLabel("Token or password").fill("ui-secret-token-77");
        form.getByLabel("Webhook secret").fill("ui-webhook-secret-78");
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create")).click();
        assertThat(page.locator("h1")).containsText("ui-team");
        assertThat(page.locator(".notice")).isVisible();
        assertThat(page.locator("dl.facts")).containsText("stored (never shown)");
        page.getByText("Edit or delete this source").click();
        assertEquals("", page.locator("#source-form input[name=token]").inputValue());
        assertEquals("", page.locator("#source-form input[name=webhook_secret]").inputValue());
        assertFalse(page.content().contains("ui-secret-token-77") || page.content().contains("ui-webhook-secret-78"));
        page.locator("#source-form").getByLabel("Remove the stored token").check();
        page.locator("#source-form").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save")).click();
        assertThat(page.locator(".notice")).isVisible();
        assertEquals(List.of(List.of("f", "t")), TestDatabase.rows(
                "SELECT token IS NOT NULL, webhook_secret IS NOT NULL FROM gitops_sources WHERE name = 'ui-team'"));

        page.navigate(url("/platforms"));
        var lastSeen = page.locator("time").first();
        if (lastSeen.count() > 0) {
            assertTrue(lastSeen.getAttribute("title").endsWith(" UTC"), lastSeen.getAttribute("title"));
        }

        BrowserContext adminContext = context;
        BrowserContext viewerContext = browser.newContext(new Browser.NewContextOptions().setLocale("en-US"));
        try {
            context = viewerContext;
            Auth.tokenOf("ui-src-viewer", "viewer");
            Page viewer = login("ui-src-viewer", Auth.PASSWORD);
            viewer.navigate(url("/gitops/ui-team"));
            assertThat(viewer.locator("h1")).containsText("ui-team");
            assertThat(viewer.locator("#source-form")).hasCount(0);
            viewer.navigate(url("/schedules"));
            assertThat(viewer.locator("#schedule-form")).hasCount(0);
            String csrf = viewer.locator("input[name=csrf]").first().inputValue();
            APIResponse forced = viewerContext.request().post(url("/gitops/ui-team/delete"), RequestOptions.create()
                    .setForm(FormData.create().set("csrf", csrf)).setMaxRedirects(0));
            assertEquals(403, forced.status());
        } finally {
            viewerContext.close();
            context = adminContext;
        }
        assertEquals(List.of(List.of("1")), TestDatabase.rows("SELECT count(*) FROM gitops_sources WHERE name = 'ui-team'"));
    }

    @Test
    void showsABadPushWithItsFileAndLineOnTheGitopsPage() {
        repo.commit("testum.yaml", "version: 1\nssh_keys: []\nplatforms: oops: not yaml\n", "a bad push");
        try (var c = TestDatabase.connect(); var s = c.createStatement()) {
            s.execute("DELETE FROM gitops_sources WHERE name = 'ui-ops'");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        Auth.asAdmin();
        post("/api/gitops/sources", Map.of("name", "ui-ops", "url", repo.url(), "branch", "main")).statusCode(201);
        Auth.anonymous();

        Page page = login(Auth.ADMIN, Auth.ADMIN_PASSWORD);
        page.getByRole(AriaRole.NAVIGATION).getByText("GitOps").click();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("ui-ops")).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sync now")).click();
        assertThat(page.locator("#gitops-errors")).containsText("testum.yaml:3:");
        assertThat(page.locator("#gitops-errors")).containsText("malformed YAML");
        assertThat(page.locator("h1")).containsText("not ready");
        screenshot(page, "gitops-source-invalid");
    }

    @Test
    void speaksRussianToARussianBrowserAndRemembersTheSwitchToEnglish() {
        context.close();
        context = browser.newContext(new Browser.NewContextOptions().setLocale("ru-RU"));
        Page page = context.newPage();
        page.navigate(url("/login"));
        assertThat(page.locator("html")).hasAttribute("lang", "ru");
        assertThat(page.locator("h1")).hasText("Вход");
        page.getByLabel("Имя пользователя").fill(Auth.ADMIN);
        page.getByLabel("Пароль").fill(Auth.ADMIN_PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Войти")).click();
        assertThat(page.locator("h1")).hasText("Обзор парка");
        assertThat(page.getByRole(AriaRole.NAVIGATION)).containsText("Платформы");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("English")).click();
        assertThat(page.locator("h1")).hasText("Fleet overview");
        page.reload();
        assertThat(page.locator("h1")).hasText("Fleet overview");
    }

    @Test
    void keepsTheChosenThemeAcrossPages() {
        Page page = login(Auth.ADMIN, Auth.ADMIN_PASSWORD);
        page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(com.microsoft.playwright.options.ColorScheme.LIGHT));
        page.locator("#theme-toggle").click();
        assertThat(page.locator("html")).hasAttribute("data-theme", "dark");
        page.navigate(url("/platforms"));
        assertThat(page.locator("html")).hasAttribute("data-theme", "dark");
        assertThat(page.locator("#theme-toggle")).hasAttribute("aria-pressed", "true");
    }

    /**
     * The Content-Security-Policy allows only testum's own scripts, and the UI lives with it: login,
     * pages, live output over the WebSocket, the theme toggle and the error page's back button work,
     * and the browser reports no violation.
     */
    @Test
    void everyPageWorksUnderTheContentSecurityPolicyWithoutAViolation() {
        List<String> violations = new java.util.concurrent.CopyOnWriteArrayList<>();
        context.addInitScript("document.addEventListener('securitypolicyviolation', function (e) {"
                + " console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI); });");
        Page page = context.newPage();
        page.onConsoleMessage(m -> {
            if (m.text().contains("Content Security Policy") || m.text().contains("CSP violation")) {
                violations.add(page.url() + ": " + m.text());
            }
        });
        var first = page.navigate(url("/login"));
        String policy = first.headerValue("content-security-policy");
        assertTrue(policy != null && policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"),
                "the login page carries a strict policy: " + policy);
        page.getByLabel("User name").fill(Auth.ADMIN);
        page.getByLabel("Password").fill(Auth.ADMIN_PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
        assertThat(page.locator("h1")).hasText("Fleet overview");

        page.navigate(url("/platforms/host-0"));
        page.getByLabel("Command").fill("echo under-the-policy");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run").setExact(true)).click();
        assertThat(page.locator(".run-output")).hasAttribute("data-state", "done");
        assertThat(page.locator("[data-host='host-0'] pre")).containsText("under-the-policy");
        page.locator("#theme-toggle").click();
        assertThat(page.locator("html")).hasAttribute("data-theme", "dark");
        for (String path : List.of("/", "/platforms", "/keys", "/access", "/gitops", "/import", "/runs", "/schedules",
                "/platforms/host-0/host-key", "/platforms/host-0/containers", "/alerts", "/audit", "/users", "/tokens", "/credentials")) {
            page.navigate(url(path));
        }
        page.navigate(url("/platforms/no-such-platform"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Back")).click();
        assertThat(page).hasURL(Pattern.compile(".*/credentials$"));
        assertEquals(List.of(), violations);
    }

    /** Another site cannot show testum in a frame, so it cannot trick a user into clicking testum's buttons. */
    @Test
    void anotherSiteCannotFrameThePages() {
        Page page = login(Auth.ADMIN, Auth.ADMIN_PASSWORD);
        assertThat(page.locator("h1")).hasText("Fleet overview");
        Page attacker = context.newPage();
        attacker.setContent("<h1>Win a prize</h1><iframe id=\"victim\" src=\"" + url("/platforms/host-0")
                + "\" width=\"800\" height=\"600\"></iframe>");
        var frame = attacker.frames().stream().filter(f -> f != attacker.mainFrame()).findFirst().orElseThrow();
        assertFalse(frame.url().startsWith(url("/")), "the frame shows " + frame.url());
        assertEquals(0, frame.locator("header.top, input[name=csrf]").count(), "testum rendered inside the frame");
    }

    /** A document whose platform listens nowhere (127.0.0.1, port 1): its deployment fails at once, locally. */
    private static String document(String extraKey) {
        return "version: 1\nssh_keys:\n  - name: bob\n    public_key: \"" + io.testum.keys.TestKeys.ED25519_B + "\"\n"
                + extraKey
                + "credentials:\n  - name: git-deployer\n"
                + "platforms:\n  - name: git-web-01\n    host: 127.0.0.1\n    port: 1\n    username: deploy\n"
                + "    auth_method: key\n    credential: git-deployer\n    labels: {role: web}\n"
                + "access:\n  - name: git-web-admins\n    keys: [bob]\n    selector: {role: web}\n";
    }

    @Test
    void savesAScreenshotOfEveryPage() {
        repo.commit("testum.yaml", document(""), "first");
        try (var c = TestDatabase.connect(); var s = c.createStatement()) {
            s.execute("DELETE FROM gitops_sources WHERE name = 'ui-shots'");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        Auth.asAdmin();
        post("/api/keys", Map.of("name", "alice", "public_key", io.testum.keys.TestKeys.ED25519)).statusCode(201);
        post("/api/access", Map.of("name", "ops-team", "keys", List.of("alice"), "selector", Map.of("env", "test")))
                .statusCode(201);
        post("/api/gitops/sources", Map.of("name", "ui-shots", "url", repo.url(), "branch", "main")).statusCode(201);
        io.restassured.RestAssured.given().post("/api/gitops/sources/ui-shots/sync?wait=true").then().statusCode(200);
        post("/api/alerts", Map.of("name", "ops-hook", "type", "webhook", "url", "https://hooks.example.test/testum/token",
                "secret", "a-signing-secret-for-shots", "events", List.of("deployment.failed", "run.failed"),
                "selector", Map.of("env", "test"))).statusCode(201);
        repo.commit("testum.yaml", document("  - name: carol\n    public_key: \"" + io.testum.keys.TestKeys.RSA_2048 + "\"\n")
                .replace("keys: [bob]", "keys: [bob, carol]"), "carol joins");
        Auth.anonymous();
        Page page = login(Auth.ADMIN, Auth.ADMIN_PASSWORD);
        page.navigate(url("/platforms/host-0"));
        page.getByLabel("Command").fill("uname -s; echo to-stderr >&2");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run").setExact(true)).click();
        assertThat(page.locator(".run-output")).hasAttribute("data-state", "done");
        screenshot(page, "platform-with-run");
        String run = page.locator("a", new Page.LocatorOptions().setHasText("Open the run")).getAttribute("href");

        Map<String, String> pages = new java.util.LinkedHashMap<>();
        pages.put("dashboard", "/");
        pages.put("platforms", "/platforms");
        pages.put("platform", "/platforms/host-0");
        pages.put("keys", "/keys");
        pages.put("key", "/keys/alice");
        pages.put("credentials", "/credentials");
        pages.put("access", "/access");
        pages.put("grant", "/access/ops-team");
        pages.put("gitops", "/gitops");
        pages.put("gitops-source", "/gitops/ui-shots");
        pages.put("gitops-diff", "/gitops/ui-shots/diff");
        pages.put("git-platform", "/platforms/git-web-01");
        pages.put("runs", "/runs");
        pages.put("run", run);
        pages.put("alerts", "/alerts");
        pages.put("alert", "/alerts/ops-hook");
        pages.put("audit", "/audit");
        pages.put("users", "/users");
        pages.put("tokens", "/tokens");
        pages.put("not-found", "/platforms/no-such-platform");
        for (var entry : pages.entrySet()) {
            page.navigate(url(entry.getValue()));
            if (page.locator("[data-fragment]").count() > 0) {
                assertThat(page.locator("[data-fragment]")).hasAttribute("aria-busy", "false");
            }
            screenshot(page, entry.getKey());
        }
        page.setViewportSize(390, 844);
        for (String name : List.of("dashboard", "platform", "run")) {
            page.navigate(url(pages.get(name)));
            screenshot(page, name + "-390px");
        }
        page.setViewportSize(1280, 900);
        page.locator("#theme-toggle").click();
        for (String name : List.of("dashboard", "platform")) {
            page.navigate(url(pages.get(name)));
            screenshot(page, name + "-dark");
        }
        context.clearCookies();
        page.navigate(url("/login"));
        screenshot(page, "login");
        assertTrue(Files.exists(SCREENSHOTS.resolve("platform.png")));
    }

    /** host-1 as the GitOps source {@code ui-keys} declares it (facing the internet), with alice granted there. */
    private String keysDocument(Path alice, String unmanaged) {
        SshFleet.Host host = fleet.host(1);
        return "ssh_keys:\n  - name: alice\n    public_key: \"" + KeyGen.publicLine(alice) + "\"\n"
                + "platforms:\n  - name: git-host-1\n    host: 127.0.0.1\n    port: " + host.port() + "\n    username: "
                + host.user() + "\n    auth_method: key\n    credential: runner\n    labels: {exposure: internet}\n"
                + "access:\n  - name: alice-on-host-1\n    keys: [alice]\n    platforms: [git-host-1]\n"
                + "settings:\n  unmanaged: " + unmanaged + "\n";
    }

    /** Puts host-1 under the source {@code ui-keys} and waits until alice's key is deployed there. */
    private void manageHostOne(Path alice, String unmanaged) {
        fleet.host(1).writeAuthorizedKeys(runnerKey + "\n");
        repo.commit("testum.yaml", keysDocument(alice, unmanaged), "host-1, unmanaged: " + unmanaged);
        Auth.asAdmin();
        post("/api/gitops/sources", Map.of("name", "ui-keys", "url", repo.url(), "branch", "main")).statusCode(201);
        io.restassured.RestAssured.given().post("/api/gitops/sources/ui-keys/sync?wait=true").then().statusCode(200);
        Auth.anonymous();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> fleet.host(1).authorizedKeysText().contains(KeyGen.publicLine(alice)) && !deployments.busy());
    }

    private static String fingerprint(Path privateKey) {
        return KeyGen.fingerprintLine(Path.of(privateKey + ".pub")).split("\\s+")[1];
    }

    private static com.microsoft.playwright.Locator row(Page page, String scope, Path key) {
        return page.locator(scope + " tr[data-fingerprint='" + fingerprint(key) + "']");
    }

    private static List<String> flags(com.microsoft.playwright.Locator row) {
        return row.locator("[data-flag]").all().stream().map(f -> f.getAttribute("data-flag")).toList();
    }

    /**
     * Keys added by hand beside testum's block, on two real sshd hosts, after one drift check: each
     * platform page lists them by account with the fingerprint ssh-keygen prints and their flags; the
     * fleet page groups them by fingerprint, largest group first, and finds one by its pasted .pub
     * file; alice's page shows where her key logs in through testum and outside it; and on the
     * platform whose source says remove, the preview lists exactly the hand-added keys, and removing
     * them keeps testum's own.
     */
    @Test
    void showsHandAddedKeysWithFlagsGroupsThemByFingerprintFindsAPastedKeyAndPreviewsTheirRemoval() {
        Path alice = KeyGen.generate(tmp, "ed25519", 0, null, null, "alice@laptop");
        Path dave = KeyGen.generate(tmp, "rsa", 1024, null, null, "dave@old-box");
        Path erin = KeyGen.generate(tmp, "ed25519", 0, null, null, "erin@ci");
        manageHostOne(alice, "keep");
        SshFleet.Host zero = fleet.host(0);
        SshFleet.Host one = fleet.host(1);
        Auth.asAdmin();
        post("/api/keys", Map.of("name", "bob", "public_key", io.testum.keys.TestKeys.ED25519_B)).statusCode(201);
        post("/api/access", Map.of("name", "bob-on-host-0", "keys", List.of("bob"), "selector", Map.of("env", "test")))
                .statusCode(201);
        Auth.anonymous();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> zero.authorizedKeysText().contains(io.testum.keys.TestKeys.ED25519_B) && !deployments.busy());
        zero.writeAuthorizedKeys(zero.authorizedKeysText() + KeyGen.publicLine(dave) + "\n" + KeyGen.publicLine(alice) + "\n");
        one.writeAuthorizedKeys(one.authorizedKeysText() + "# by hand\n" + KeyGen.publicLine(dave) + "\n"
                + "from=\"10.0.0.0/8\",no-pty " + KeyGen.publicLine(erin) + "\n");
        deployments.periodic();

        Page page = login(Auth.ADMIN, Auth.ADMIN_PASSWORD);
        assertThat(page.locator("h1")).hasText("Fleet overview");
        page.navigate(url("/platforms/host-0"));
        var daveOnZero = row(page, "#unmanaged", dave);
        assertThat(daveOnZero).containsText("ssh-rsa 1024");
        assertThat(daveOnZero).containsText("dave@old-box");
        assertEquals(List.of("weak", "unknown"), flags(daveOnZero));
        assertThat(daveOnZero.locator("[data-flag=weak]")).hasText("weak");
        assertThat(page.locator("#unmanaged table[data-account='" + zero.user() + "']")).hasCount(1);
        assertEquals(List.of(), flags(row(page, "#unmanaged", alice)), "a known key, on a platform not facing the internet");
        assertThat(row(page, "#unmanaged", alice)).containsText("alice");
        assertThat(page.locator("#removal-preview")).hasCount(0);
        screenshot(page, "platform-unmanaged-keys");

        page.navigate(url("/platforms/git-host-1"));
        assertEquals(List.of("weak", "unknown", "no_from"), flags(row(page, "#unmanaged", dave)));
        var erinRow = row(page, "#unmanaged", erin);
        assertEquals(List.of("unknown"), flags(erinRow), "from= is set");
        assertThat(erinRow).containsText("from=\"10.0.0.0/8\",no-pty");
        assertThat(page.locator("#removal-preview")).hasCount(0);

        page.getByRole(AriaRole.NAVIGATION).getByText("Keys outside Git").click();
        assertThat(page.locator("h1")).hasText("Keys outside Git");
        var groups = page.locator("details.group");
        assertThat(groups).hasCount(4);
        assertThat(groups.nth(0).locator("summary")).containsText("2 accounts on 2 platforms");
        assertThat(groups.nth(1).locator("summary")).containsText("2 accounts on 2 platforms");
        assertThat(groups.nth(3).locator("summary")).containsText("1 account on 1 platform");
        var daveGroup = page.locator("details.group[data-fingerprint='" + fingerprint(dave) + "']");
        daveGroup.locator("summary").click();
        assertThat(daveGroup.locator("tbody tr")).hasCount(2);
        assertThat(daveGroup.locator("tbody tr").nth(0)).containsText("git-host-1");
        assertThat(daveGroup.locator("tbody tr").nth(1)).containsText("host-0");
        screenshot(page, "unmanaged-keys");

        page.getByLabel("Fingerprint, public key or .pub file").fill(KeyGen.read(Path.of(dave + ".pub")));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Find where it can log in")).click();
        assertThat(page).hasURL(Pattern.compile(".*/unmanaged-keys\\?fingerprint=SHA256%3A.*"));
        assertThat(page.locator("#search-fingerprint")).containsText(fingerprint(dave));
        assertThat(groups).hasCount(1);
        assertThat(groups.first().locator("tbody tr")).hasCount(2);
        page.getByLabel("Fingerprint, public key or .pub file").fill(KeyGen.fingerprintLine(Path.of(erin + ".pub")));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Find where it can log in")).click();
        assertThat(groups).hasCount(1);
        assertThat(groups.first()).hasAttribute("data-fingerprint", fingerprint(erin));

        page.navigate(url("/keys/alice"));
        assertThat(page.locator("#reach-managed tbody tr")).hasCount(1);
        assertThat(page.locator("#reach-managed")).containsText("git-host-1");
        assertThat(page.locator("#reach-unmanaged tbody tr")).hasCount(1);
        assertThat(page.locator("#reach-unmanaged")).containsText("host-0");
        screenshot(page, "key-reach");

        repo.commit("testum.yaml", keysDocument(alice, "remove"), "remove keys outside the block");
        Auth.asAdmin();
        io.restassured.RestAssured.given().post("/api/gitops/sources/ui-keys/sync?wait=true").then().statusCode(200);
        Auth.anonymous();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> !deployments.busy());
        org.assertj.core.api.Assertions.assertThat(one.authorizedKeysText()).as("nothing removed before asked").contains(KeyGen.publicLine(erin));
        page.navigate(url("/platforms/git-host-1"));
        page.locator("#removal-preview").click();
        assertThat(page.locator("h1")).containsText("What unmanaged: remove takes out of git-host-1");
        assertThat(page.locator("tr[data-fingerprint]")).hasCount(2);
        assertThat(row(page, "", dave)).hasCount(1);
        assertThat(row(page, "", erin)).hasCount(1);
        screenshot(page, "unmanaged-removal");
        page.onDialog(com.microsoft.playwright.Dialog::accept);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove them now (deploy the keys)")).click();
        assertThat(page).hasURL(Pattern.compile(".*/platforms/git-host-1\\?notice=deployed$"));
        assertThat(page.locator("#unmanaged tr[data-fingerprint]")).hasCount(1);
        assertEquals(List.of("testum_login", "no_from"), flags(page.locator("#unmanaged tr[data-fingerprint]")));
        org.assertj.core.api.Assertions.assertThat(one.authorizedKeysText()).contains(runnerKey, KeyGen.publicLine(alice), "# by hand")
                .doesNotContain(KeyGen.publicLine(dave)).doesNotContain(KeyGen.publicLine(erin));
        org.assertj.core.api.Assertions.assertThat(zero.authorizedKeysText()).as("the platform whose source keeps them").contains(KeyGen.publicLine(dave));
    }

    /** A private key pasted into the search by mistake is refused, and the page does not show it back. */
    @Test
    void refusesAPastedPrivateKeyWithoutShowingItBack() throws Exception {
        Path key = KeyGen.generate(tmp, "ed25519", 0, null, null, "oops@laptop");
        String secret = Files.readString(key);
        String body = secret.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        Page page = login(Auth.ADMIN, Auth.ADMIN_PASSWORD);
        assertThat(page.locator("h1")).hasText("Fleet overview");
        page.navigate(url("/unmanaged-keys"));
        page.getByLabel("Fingerprint, public key or .pub file").fill(secret);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Find where it can log in")).click();
        assertThat(page.locator("#search-error")).containsText("That is a private key");
        assertThat(page.getByLabel("Fingerprint, public key or .pub file")).hasValue("");
        assertFalse(page.content().contains(body), "the page shows the private key back");
        assertFalse(page.url().contains(body.substring(0, 20)), "the private key is in the URL");
    }

    /**
     * A viewer reads the keys outside Git on the platform page, the fleet page and a key's page, but
     * gets no removal preview nor deploy button on a platform whose source says remove, and the
     * preview and the removal it forces are refused.
     */
    @Test
    void showsAViewerTheKeysOutsideGitButNoRemovalAndRefusesItsForcedPreviewAndRemoval() {
        Path alice = KeyGen.generate(tmp, "ed25519", 0, null, null, "alice@laptop");
        manageHostOne(alice, "remove");
        Auth.tokenOf("ui-keys-viewer", "viewer");
        Page page = login("ui-keys-viewer", Auth.PASSWORD);
        assertThat(page.locator("h1")).hasText("Fleet overview");
        page.navigate(url("/platforms/git-host-1"));
        assertThat(page.locator("#unmanaged")).containsText("unmanaged: remove");
        assertEquals(List.of("testum_login", "no_from"), flags(page.locator("#unmanaged tr[data-fingerprint]")));
        assertThat(page.locator("#removal-preview")).hasCount(0);
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Deploy keys now"))).hasCount(0);
        page.getByRole(AriaRole.NAVIGATION).getByText("Keys outside Git").click();
        assertThat(page.locator("details.group")).hasCount(1);
        assertThat(page.locator("details.group summary")).containsText("testum's login key");
        page.navigate(url("/keys/alice"));
        assertThat(page.locator("#reach-managed")).containsText("git-host-1");

        String csrf = page.locator("input[name=csrf]").first().inputValue();
        APIResponse preview = context.request().get(url("/platforms/git-host-1/removal"),
                RequestOptions.create().setMaxRedirects(0));
        assertEquals(403, preview.status());
        APIResponse forced = context.request().post(url("/platforms/git-host-1/deploy-keys"), RequestOptions.create()
                .setForm(FormData.create().set("csrf", csrf)).setMaxRedirects(0));
        assertEquals(403, forced.status());
        assertTrue(forced.text().contains("Your role does not allow this"), forced.text());
    }

    @Test
    void adminCreatesAnAlertThroughItsFormEditsItWithoutSeeingItsSecretAndReadsItsDeliveryLog() {
        Page page = login(Auth.ADMIN, Auth.ADMIN_PASSWORD);
        assertThat(page.locator("h1")).hasText("Fleet overview");
        page.getByRole(AriaRole.NAVIGATION).getByText("Alerts").click();
        assertThat(page.locator("h1")).hasText("Alerts");
        page.getByText("New alert").click();
        var form = page.locator("#alert-form");
        form.locator("input[name=name]").fill("ui-ops");
        form.locator("select[name=type]").selectOption("webhook");
        // Port 1 on loopback (the tests allow private targets): every try fails at once, and the log says so.
        form.locator("input[name=url]").fill("http://127.0.0.1:1/hook/ui-url-token-55");
        form.getByLabel("Signing secret").fill("ui-alert-secret-0042-long");
        form.locator("input[name=events][value='run.failed']").check();
        form.locator("input[name=selector]").fill("env=test");
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create")).click();
        assertThat(page.locator("h1")).containsText("ui-ops");
        assertThat(page.locator(".notice")).isVisible();
        assertThat(page.locator("dl.facts")).containsText("stored (never shown)");
        assertThat(page.locator("dl.facts")).containsText("http://127.0.0.1:1/…");
        assertFalse(page.content().contains("ui-url-token-55") || page.content().contains("ui-alert-secret-0042-long"));

        page.getByText("Edit or delete this alert").click();
        screenshot(page, "alert-form");
        assertEquals("", page.locator("#alert-form input[name=url]").inputValue());
        assertEquals("", page.locator("#alert-form input[name=secret]").inputValue());
        assertTrue(page.locator("#alert-form input[name=events][value='run.failed']").isChecked());
        page.locator("#alert-form input[name=events][value='deployment.failed']").check();
        page.locator("#alert-form").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save")).click();
        assertThat(page.locator(".notice")).isVisible();
        assertEquals(List.of(List.of("[\"deployment.failed\", \"run.failed\"]", "t", "test")), TestDatabase.rows(
                "SELECT events::text, secret_sealed IS NOT NULL, selector->>'env' FROM alerts WHERE name = 'ui-ops'"));
        assertFalse(page.content().contains("ui-url-token-55") || page.content().contains("ui-alert-secret-0042-long"));

        Auth.asAdmin();
        post("/api/runs", Map.of("command", "exit 3", "targets", Map.of("platforms", List.of("host-0")))).statusCode(202);
        Auth.anonymous();
        long deadline = System.currentTimeMillis() + 60_000;
        while (page.locator("#deliveries").count() == 0 && System.currentTimeMillis() < deadline) {
            page.waitForTimeout(500);
            page.reload();
        }
        assertThat(page.locator("#deliveries")).containsText("run.failed");
        assertThat(page.locator("h2")).containsText("Delivery log (1 in all)");
        assertFalse(page.content().contains("ui-url-token-55"), "a delivery error never names the URL's path");
        screenshot(page, "alert");
    }

    @Test
    void showsAViewerNoAlertsLinkNorButtonsAndRefusesTheAlertPostsItForces() {
        Auth.asAdmin();
        post("/api/alerts", Map.of("name", "ui-kept", "type", "slack", "url", "https://hooks.example.test/services/T0/B0/x",
                "events", List.of("run.failed"))).statusCode(201);
        Auth.tokenOf("ui-alert-viewer", "viewer");
        Page page = login("ui-alert-viewer", Auth.PASSWORD);
        assertThat(page.locator("h1")).hasText("Fleet overview");
        assertThat(page.getByRole(AriaRole.NAVIGATION).getByText("Alerts")).hasCount(0);
        assertThat(page.locator("a[href='/alerts']")).hasCount(0);
        String csrf = page.locator("input[name=csrf]").first().inputValue();

        var shown = page.navigate(url("/alerts/ui-kept"));
        assertEquals(403, shown.status());
        assertThat(page.locator("main")).containsText("Your role does not allow this");
        assertThat(page.locator("#alert-form")).hasCount(0);
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete"))).hasCount(0);

        APIResponse delete = context.request().post(url("/alerts/ui-kept/delete"), RequestOptions.create()
                .setForm(FormData.create().set("csrf", csrf)).setMaxRedirects(0));
        assertEquals(403, delete.status());
        assertTrue(delete.text().contains("Your role does not allow this"), delete.text());
        APIResponse create = context.request().post(url("/alerts"), RequestOptions.create()
                .setForm(FormData.create().set("csrf", csrf).set("name", "ui-sneaky").set("type", "slack")
                        .set("url", "https://evil.example.test/x").set("events", "run.failed")).setMaxRedirects(0));
        assertEquals(403, create.status());
        APIResponse edit = context.request().post(url("/alerts/ui-kept"), RequestOptions.create()
                .setForm(FormData.create().set("csrf", csrf).set("type", "slack").set("url", "https://evil.example.test/x")
                        .set("events", "run.failed")).setMaxRedirects(0));
        assertEquals(403, edit.status());
        assertEquals(List.of(List.of("ui-kept", "https://hooks.example.test/…")),
                TestDatabase.rows("SELECT name, url_shown FROM alerts"));
    }

    @Test
    void operatorCreatesAndEditsAScheduleThroughItsFormAndAViewerGetsNoButtons() {
        Auth.tokenOf("ui-operator", "operator");
        Page page = login("ui-operator", Auth.PASSWORD);
        assertThat(page.locator("h1")).hasText("Fleet overview");
        assertThat(page.getByRole(AriaRole.NAVIGATION).getByText("Alerts")).hasCount(0);
        page.getByRole(AriaRole.NAVIGATION).getByText("Schedules").click();
        page.getByText("New schedule").click();
        var form = page.locator("#schedule-form");
        form.locator("input[name=name]").fill("ui-nightly");
        form.locator("input[name=cron]").fill("0 3 * * *");
        form.locator("input[name=timezone]").fill("Europe/Berlin");
        form.locator("textarea[name=command]").fill("uptime");
        form.locator("input[name=platforms]").fill("host-0");
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create")).click();
        assertThat(page.locator("h1")).containsText("ui-nightly");
        assertThat(page.locator(".notice")).isVisible();
        assertThat(page.locator("dl.facts")).containsText("0 3 * * *");
        assertThat(page.locator("dl.facts")).containsText("Europe/Berlin");

        page.getByText("Edit or delete this schedule").click();
        page.locator("#schedule-form input[name=cron]").fill("30 4 * * 1-5");
        page.locator("#schedule-form").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save")).click();
        assertThat(page.locator(".notice")).isVisible();
        assertThat(page.locator("dl.facts")).containsText("30 4 * * 1-5");
        screenshot(page, "schedule");

        BrowserContext operatorContext = context;
        BrowserContext viewerContext = browser.newContext(new Browser.NewContextOptions().setLocale("en-US"));
        try {
            context = viewerContext;
            Auth.tokenOf("ui-sched-viewer", "viewer");
            Page viewer = login("ui-sched-viewer", Auth.PASSWORD);
            viewer.navigate(url("/schedules/ui-nightly"));
            assertThat(viewer.locator("h1")).containsText("ui-nightly");
            assertThat(viewer.locator("#schedule-form")).hasCount(0);
            assertThat(viewer.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete"))).hasCount(0);
            viewer.navigate(url("/schedules"));
            assertThat(viewer.getByText("New schedule")).hasCount(0);
            String csrf = viewer.locator("input[name=csrf]").first().inputValue();
            APIResponse forced = viewerContext.request().post(url("/schedules/ui-nightly/delete"), RequestOptions.create()
                    .setForm(FormData.create().set("csrf", csrf)).setMaxRedirects(0));
            assertEquals(403, forced.status());
        } finally {
            viewerContext.close();
            context = operatorContext;
        }
        assertEquals(List.of(List.of("ui-nightly", "30 4 * * 1-5")), TestDatabase.rows("SELECT name, cron FROM schedules"));
    }

    @Test
    void importsARepositoryOnceAfterADryRunThatAppliesNothing() {
        repo.commit("testum.yaml", "platforms:\n  - name: imported-01\n    host: 192.0.2.44\n    username: deploy\n"
                + "    auth_method: password\n", "one platform");
        Page page = login(Auth.ADMIN, Auth.ADMIN_PASSWORD);
        assertThat(page.locator("h1")).hasText("Fleet overview");
        page.navigate(url("/import"));
        var form = page.locator("#import-form");
        form.locator("input[name=git_url]").fill(repo.url());
        form.locator("input[name=branch]").fill("main");
        form.locator("input[name=config_path]").fill("testum.yaml");
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Dry run")).click();
        assertThat(page.locator("#import-result")).containsText("nothing was applied");
        assertThat(page.locator("#import-result")).containsText("imported-01");
        assertEquals(List.of(List.of("0")), TestDatabase.rows("SELECT count(*) FROM platforms WHERE name = 'imported-01'"));
        screenshot(page, "import-dry-run");

        page.locator("#import-form").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Apply this import")).click();
        assertThat(page.locator("#import-result")).containsText("imported");
        assertThat(page.locator("#import-result")).not().containsText("nothing was applied");
        assertEquals(List.of(List.of("api")), TestDatabase.rows("SELECT source FROM platforms WHERE name = 'imported-01'"));
    }

    private static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }
}

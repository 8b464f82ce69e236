package io.testum.cli;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.testum.keys.TestKeys;
import io.testum.testing.Auth;
import io.testum.testing.Fixtures;
import io.testum.testing.GitRepo;
import io.testum.testing.PostgresResource;
import io.testum.testing.SshFleet;
import io.testum.testing.TestDatabase;
import io.testum.testing.TestumctlProcess.Result;
import io.testum.testing.TestumctlProcess;
import io.testum.testing.WithSshFleet;

/**
 * testumctl against the running service: each call runs the packaged client ({@code cli/target/testumctl.jar},
 * which the build makes before these tests) with its own home directory, standard input and environment, and
 * captures what it prints and its exit code. Most calls run the jar's classes inside this JVM (a JVM start
 * per call made this class the slowest of the build); the login and the usage errors run it as the
 * {@code java -jar} process a user starts, exit code included.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithSshFleet(hosts = 2)
class TestumctlTest {

    private SshFleet fleet;

    @TestHTTPResource("/")
    URI base;

    @TempDir
    Path home;

    @TempDir
    Path work;

    private TestumctlProcess testumctl;
    private TestumctlProcess launched;

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        Auth.asAdmin();
    }

    private String url() {
        String u = base.toString();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    private Result cli(String... args) {
        return cli("", Map.of(), args);
    }

    private Result cli(String stdin, Map<String, String> env, String... args) {
        if (testumctl == null) {
            testumctl = new TestumctlProcess(home, work);
        }
        return testumctl.run(stdin, env, args);
    }

    /** As a user's shell runs it: {@code java -jar testumctl.jar} with its exit status. */
    private Result launched(String stdin, String... args) {
        if (launched == null) {
            launched = TestumctlProcess.launched(home, work);
        }
        return launched.run(stdin, Map.of(), args);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Object json(String text) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jsonObject(String text) {
        return (Map<String, Object>) json(text);
    }

    private Path configFile() {
        return home.resolve(".testum").resolve("config.json");
    }

    private void storeConfig(String url, String access, String refresh) throws Exception {
        Files.createDirectories(configFile().getParent());
        Map<String, Object> config = new java.util.LinkedHashMap<>();
        config.put("url", url);
        config.put("access_token", access);
        config.put("refresh_token", refresh);
        Files.writeString(configFile(), JSON.writeValueAsString(config));
        Files.setPosixFilePermissions(configFile(), PosixFilePermissions.fromString("rw-------"));
    }

    private void login() {
        Result login = cli(Auth.ADMIN_PASSWORD + "\n", Map.of(), "login", "--url", url(), "-u", Auth.ADMIN, "--password-stdin");
        assertEquals(0, login.exit(), login.err());
    }

    private Map<String, Object> storedConfig() throws Exception {
        return jsonObject(Files.readString(configFile()));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> jsonList(String text) {
        return (List<Map<String, Object>>) json(text);
    }

    /** Platforms on the real sshd hosts, logged into with a generated credential. */
    private void hostsOnTheFleet() {
        String testumKey = post("/api/credentials/generate", Map.of("name", "runner")).statusCode(201).extract()
                .path("public_key");
        for (int i = 0; i < fleet.hosts().size(); i++) {
            SshFleet.Host host = fleet.host(i);
            host.writeAuthorizedKeys(testumKey + "\n");
            post("/api/platforms", Map.of("name", "host-" + i, "host", host.address(), "port", host.port(),
                    "username", host.user(), "auth_method", "key", "credential", "runner",
                    "labels", Map.of("tier", "web"))).statusCode(201);
        }
    }

    @Test
    void loginStoresUrlAndTokensInAConfigFileOnlyTheUserCanRead() throws Exception {
        Result login = launched(Auth.ADMIN_PASSWORD + "\n", "login", "--url", url() + "/", "-u", Auth.ADMIN,
                "--password-stdin");

        assertEquals(0, login.exit(), login.err());
        assertThat(login.out()).contains("Logged in to " + url() + " as admin");
        Path file = configFile();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        Map<String, Object> config = storedConfig();
        assertEquals(url(), config.get("url"));
        assertThat((String) config.get("access_token")).isNotBlank();
        assertThat((String) config.get("refresh_token")).isNotBlank();
        Result whoami = launched("", "whoami");
        assertEquals(0, whoami.exit(), whoami.err());
        assertThat(whoami.out()).startsWith("admin (admin) at " + url());
    }

    @Test
    void aWrongPasswordPrintsTheServicesMessageAndStoresNothing() {
        Result login = cli("not-the-password\n", Map.of(), "login", "--url", url(), "-u", Auth.ADMIN, "--password-stdin");

        assertEquals(1, login.exit());
        assertThat(login.err()).startsWith("testumctl: ");
        assertThat(login.out()).isEmpty();
        assertThat(Files.exists(configFile())).isFalse();
    }

    @Test
    void loginWithoutATerminalAndWithoutPasswordStdinIsAUsageError() {
        Result login = cli("login", "--url", url(), "-u", Auth.ADMIN);
        assertEquals(2, login.exit());
        assertThat(login.err()).contains("--password-stdin");
    }

    @Test
    void platformsAddListAsJsonAndRemove() {
        Fixtures.credential("deployer");
        login();

        Result add = cli("platforms", "add", "web-01", "--host", "192.0.2.10", "--username", "deploy", "--credential",
                "deployer", "--label", "env=prod", "--label", "role=web", "--description", "front door");
        assertEquals(0, add.exit(), add.err());
        assertThat(add.out()).isEqualTo("platform web-01 created\n");
        assertEquals(0, cli("platforms", "add", "--name", "db-01", "--host", "192.0.2.20", "--port", "2222", "-u", "postgres",
                "--credential", "deployer").exit());

        Result list = cli("platforms", "list", "--json");
        assertEquals(0, list.exit(), list.err());
        List<Map<String, Object>> platforms = jsonList(list.out());
        assertThat(platforms).extracting(p -> p.get("name")).containsExactly("db-01", "web-01");
        assertEquals(Map.of("env", "prod", "role", "web"), platforms.get(1).get("labels"));
        assertEquals(2222, ((Number) platforms.get(0).get("port")).intValue());
        assertEquals("front door", platforms.get(1).get("description"));

        Result table = cli("platforms", "list", "--label", "env=prod");
        assertThat(table.outLines()).hasSize(2);
        assertThat(table.outLines().get(0)).startsWith("NAME    HOST        PORT  USER    AUTH  CREDENTIAL  LABELS");
        assertThat(table.outLines().get(1)).startsWith("web-01  192.0.2.10  22    deploy  key   deployer    env=prod,role=web");

        Result remove = cli("platforms", "remove", "web-01");
        assertEquals(0, remove.exit(), remove.err());
        assertThat(jsonList(cli("platforms", "list", "--json").out())).extracting(p -> p.get("name")).containsExactly("db-01");
    }

    @Test
    void keysAddFromAFileListAsJsonAndRemove() throws Exception {
        login();
        Path pub = work.resolve("id_ed25519.pub");
        Files.writeString(pub, TestKeys.ED25519 + "\n");

        Result add = cli("keys", "add", "alice", "--file", pub.toString(), "--description", "Alice's laptop");
        assertEquals(0, add.exit(), add.err());
        assertThat(add.out()).startsWith("key alice created (ssh-ed25519, SHA256:");
        assertEquals(0, cli("keys", "add", "--name", "bob", "--public-key", TestKeys.ED25519_B).exit());

        List<Map<String, Object>> keys = jsonList(cli("keys", "list", "--json").out());
        assertThat(keys).extracting(k -> k.get("name")).containsExactly("alice", "bob");
        assertEquals("Alice's laptop", keys.get(0).get("description"));
        assertThat(cli("keys", "list").outLines().get(1)).startsWith("alice  ssh-ed25519  256");

        assertEquals(0, cli("keys", "remove", "alice", "bob").exit());
        assertThat(jsonList(cli("keys", "list", "--json").out())).isEmpty();
    }

    @Test
    void aBadRequestPrintsTheProblemDetailsAndExitsNonZero() {
        login();
        Result add = cli("platforms", "add", "Bad_Name", "--host", "192.0.2.10", "--port", "70000", "--username", "deploy");

        assertEquals(1, add.exit());
        assertThat(add.out()).isEmpty();
        List<String> lines = add.err().lines().toList();
        assertThat(lines.get(0)).startsWith("testumctl: ").contains("problems; see errors");
        assertThat(lines).contains("  port: must be between 1 and 65535");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("  name: must be a lowercase DNS label"));

        Result missing = cli("keys", "remove", "nobody");
        assertEquals(3, missing.exit(), "not found");
        assertThat(missing.err()).contains("nobody");
    }

    @Test
    void aWrongCommandLineIsAUsageErrorWithExitCode2() {
        assertEquals(2, launched("", "platforms", "frobnicate").exit());
        assertEquals(2, cli("platforms", "list", "--colour").exit());
        assertEquals(2, cli().exit());
        Result help = cli("help");
        assertEquals(0, help.exit());
        assertThat(help.out()).contains("Usage: testumctl").contains("exec").contains("Run a command on platforms");
    }

    @Test
    void anInvalidAccessTokenIsRefreshedWithTheRefreshTokenAndTheNewPairSaved() throws Exception {
        Fixtures.credential("deployer");
        Fixtures.platform("web-01", Map.of());
        login();
        Map<String, Object> before = storedConfig();
        storeConfig(url(), "not-a-valid-access-token", (String) before.get("refresh_token"));

        Result list = cli("platforms", "list", "--json");

        assertEquals(0, list.exit(), list.err());
        assertThat(jsonList(list.out())).extracting(p -> p.get("name")).containsExactly("web-01");
        Map<String, Object> after = storedConfig();
        assertThat(after.get("access_token")).isNotEqualTo("not-a-valid-access-token");
        assertThat(after.get("refresh_token")).isNotEqualTo(before.get("refresh_token"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(configFile())));
        // the saved pair works on its own
        assertEquals(0, cli("whoami").exit());
    }

    @Test
    void whenTheRefreshTokenIsRefusedTooItSaysToLogInAgain() throws Exception {
        storeConfig(url(), "not-a-valid-access-token", "not-a-valid-refresh-token");

        Result list = cli("platforms", "list");

        assertEquals(1, list.exit());
        assertThat(list.err()).contains("log in again: testumctl login --url " + url());
    }

    @Test
    void testumUrlAndTestumTokenOverrideTheStoredLogin() {
        Fixtures.credential("deployer");
        Fixtures.platform("web-01", Map.of());
        Map<String, String> env = Map.of("TESTUM_URL", url(), "TESTUM_TOKEN", Auth.adminToken());

        Result list = cli("", env, "platforms", "list", "--json");

        assertEquals(0, list.exit(), list.err());
        assertThat(jsonList(list.out())).hasSize(1);
        assertThat(Files.exists(configFile())).isFalse();
        Result nobody = cli("platforms", "list");
        assertEquals(1, nobody.exit());
        assertThat(nobody.err()).contains("not logged in");
    }

    @Test
    void aStoredTokenIsNotSentToAnotherUrl() {
        login();
        Result other = cli("", Map.of("TESTUM_URL", "http://127.0.0.1:9"), "platforms", "list");
        assertEquals(1, other.exit());
        assertThat(other.err()).contains("not logged in to http://127.0.0.1:9");
    }

    @Test
    void logoutEndsTheSessionAndForgetsTheTokens() throws Exception {
        login();
        String token = (String) storedConfig().get("access_token");

        Result logout = cli("logout");

        assertEquals(0, logout.exit(), logout.err());
        Map<String, Object> config = storedConfig();
        assertEquals(url(), config.get("url"));
        assertEquals(null, config.get("access_token"));
        assertEquals(null, config.get("refresh_token"));
        Auth.withoutDefaults(() -> given().header("Authorization", "Bearer " + token).get("/api/users/me").then()
                .statusCode(401));
        assertEquals(1, cli("platforms", "list").exit());
    }

    @Test
    void execWaitPrintsEveryOutputLinePrefixedByItsHostAndExitsZero() {
        hostsOnTheFleet();
        login();

        Result run = cli("exec", "host-0,host-1", "echo one; echo two; echo warn >&2", "--wait");

        assertEquals(0, run.exit(), run.err());
        assertThat(run.outLines()).containsExactlyInAnyOrder("host-0 | one", "host-0 | two", "host-1 | one", "host-1 | two");
        assertThat(run.outLines().indexOf("host-0 | one")).isLessThan(run.outLines().indexOf("host-0 | two"));
        assertThat(run.err().lines()).containsExactlyInAnyOrder("host-0 | warn", "host-1 | warn");
    }

    @Test
    void execWaitOfAFailingCommandExitsNonZero() {
        hostsOnTheFleet();
        login();

        Result one = cli("exec", "host-0", "echo before; exit 3", "--wait");
        assertEquals(3, one.exit());
        assertThat(one.outLines()).containsExactly("host-0 | before");
        assertThat(one.err()).contains("failed").contains("host-0: failed, exit 3");

        Result selected = cli("exec", "--selector", "tier=web", "test $(hostname) = nowhere", "--wait");
        assertEquals(5, selected.exit(), "a run that did not succeed");
        assertThat(selected.err()).contains("host-0: failed, exit 1").contains("host-1: failed, exit 1");
    }

    @Test
    void execRunsAScriptFileWithItsInterpreterArgsAndEnvTakenFromTheCallersEnvironment() throws Exception {
        hostsOnTheFleet();
        login();
        java.nio.file.Path file = work.resolve("check.py");
        java.nio.file.Files.writeString(file, "import os, sys\nprint(sys.argv[1], len(os.environ['API_TOKEN']), os.environ['MODE'])\n");

        Result run = cli("", Map.of("API_TOKEN", "from-the-callers-env"), "exec", "host-0", "--script", file.toString(),
                "--interpreter", "python3", "--arg", "a b", "--env", "API_TOKEN", "--env", "MODE=dry", "--wait");

        assertEquals(0, run.exit(), run.err());
        assertThat(run.outLines()).containsExactly("host-0 | a b 20 dry");
        Result stdin = cli("echo from-stdin\n", Map.of(), "exec", "--selector", "tier=web", "--script", "-", "--wait");
        assertEquals(0, stdin.exit(), stdin.err());
        assertThat(stdin.outLines()).containsExactlyInAnyOrder("host-0 | from-stdin", "host-1 | from-stdin");
        assertEquals(2, cli("exec", "host-0", "true", "--env", "X=1").exit(), "--env without --script is a usage error");
        assertEquals(2, cli("exec", "host-0", "--script", file.toString(), "--env", "NOT_SET_ANYWHERE").exit());
    }

    @Test
    void schedulesCreateListShowRunsAndRemove() {
        hostsOnTheFleet();
        login();

        Result created = cli("schedules", "create", "nightly", "--cron", "0 3 * * *", "--timezone", "Europe/Berlin",
                "--command", "df -h", "-s", "tier=web");
        assertEquals(0, created.exit(), created.err());
        assertThat(created.out()).startsWith("schedule nightly created, next run at ");
        Result list = cli("schedules", "list");
        assertThat(list.outLines().get(0)).contains("NAME").contains("CRON").contains("NEXT");
        assertThat(list.outLines().get(1)).contains("nightly").contains("0 3 * * *").contains("Europe/Berlin");
        assertThat(cli("schedules", "show", "nightly").outLines()).anySatisfy(l -> assertThat(l).matches("misfire: +skip"));
        assertEquals("skip", jsonObject(cli("schedules", "show", "nightly", "--output", "json").out()).get("misfire"));
        Result runs = cli("schedules", "runs", "nightly", "--json");
        assertEquals(0, runs.exit(), runs.err());
        assertThat(json(runs.out())).isEqualTo(List.of());
        Result bad = cli("schedules", "create", "broken", "--cron", "61 * * * *", "--command", "true", "-s", "tier=web");
        assertEquals(1, bad.exit());
        assertThat(bad.err()).contains("cron");
        assertThat(cli("schedules", "remove", "nightly").out()).contains("schedule nightly removed");
    }

    @Test
    void execWithoutWaitPrintsTheRunId() {
        hostsOnTheFleet();
        login();

        Result run = cli("exec", "host-1", "true");

        assertEquals(0, run.exit(), run.err());
        String id = run.out().strip();
        assertThat(id).matches("[0-9a-f-]{36}");
        given().get("/api/runs/" + id).then().statusCode(200);
        Result unknown = cli("exec", "nowhere-01", "true");
        assertEquals(1, unknown.exit());
        assertThat(unknown.err()).contains("nowhere-01");
    }

    @Test
    void gitopsSyncStatusAndDiffOfASource() {
        GitRepo repo = GitRepo.init(work.resolve("ops"));
        repo.commit("testum.yaml", """
                ssh_keys:
                  - name: alice
                    public_key: "%s"
                platforms:
                  - name: web-01
                    host: 192.0.2.10
                    username: deploy
                    auth_method: key
                """.formatted(TestKeys.ED25519), "first");
        post("/api/gitops/sources", Map.of("name", "ops", "url", repo.url())).statusCode(201);
        login();

        Result sync = cli("gitops", "sync");
        assertEquals(0, sync.exit(), sync.err());
        assertThat(sync.outLines().get(0)).startsWith("ops: applied");
        assertThat(sync.out()).contains("platforms:     1 created (web-01)");

        Result status = cli("gitops", "status");
        assertEquals(0, status.exit(), status.err());
        assertThat(status.outLines().get(1)).startsWith("ops   true   Succeeded");
        Map<String, Object> detail = jsonObject((cli("gitops", "status", "--source", "ops", "--json").out()));
        assertEquals(repo.head(), detail.get("last_applied_revision"));

        repo.commit("testum.yaml", "platforms:\n  - name: web-01\n    host: 192.0.2.10\n    port: 0\n", "broken");
        Result diff = cli("gitops", "diff", "--source", "ops");
        assertEquals(5, diff.exit(), "an invalid revision");
        assertThat(diff.err()).contains("testum.yaml:4:11: platforms[0] (web-01): port: must be between 1 and 65535");
        Result stalled = cli("gitops", "sync", "--source", "ops");
        assertEquals(5, stalled.exit(), "a stalled sync");
        assertThat(stalled.err()).contains("ops stalled (ValidationFailed)").contains("testum.yaml:4:11");
    }

    @Test
    void backupExportToAFileAndImportItIntoAnEmptyInstance() throws Exception {
        Fixtures.credential("deployer");
        Fixtures.platform("web-01", Map.of("env", "prod"));
        Fixtures.key("alice", TestKeys.ED25519);
        Fixtures.grant("web-admins", List.of("alice"), null, Map.of("env", "prod"));
        login();
        Path file = work.resolve("backup.yaml");

        Result export = cli("backup", "export", "-o", file.toString());
        assertEquals(0, export.exit(), export.err());
        String yaml = Files.readString(file);
        assertThat(yaml).startsWith("# testum inventory").contains("name: web-01");
        assertEquals(yaml, cli("backup", "export").out());

        TestDatabase.reset();
        Result dryRun = cli("backup", "import", file.toString(), "--dry-run");
        assertEquals(0, dryRun.exit(), dryRun.err());
        assertThat(dryRun.out()).startsWith("Dry run of " + file + ", nothing changed:")
                .contains("platforms:     1 created (web-01)");
        assertEquals(0, given().get("/api/platforms").then().extract().jsonPath().getInt("total"));

        Result restore = cli("backup", "import", file.toString());
        assertEquals(0, restore.exit(), restore.err());
        assertThat(restore.out()).startsWith("Restored " + file + ":");
        given().get("/api/access/web-admins").then().statusCode(200);
        assertEquals(yaml, cli("backup", "export").out());

        Path bad = work.resolve("broken.yaml");
        Files.writeString(bad, "platforms:\n  - name: web-02\n    host: 192.0.2.10\n    port: 70000\n    username: x\n"
                + "    auth_method: key\n");
        Result invalid = cli("backup", "import", bad.toString());
        assertEquals(1, invalid.exit());
        assertThat(invalid.err()).contains("  broken.yaml:4:11: platforms[0] (web-02): port: must be between 1 and 65535");
    }

    @Test
    void backupImportReadsStandardInputAsDash() {
        login();
        Map<String, String> none = new HashMap<>();
        Result restore = cli("ssh_keys:\n  - name: alice\n    public_key: \"" + TestKeys.ED25519 + "\"\n", none, "backup", "import",
                "-", "--json");
        assertEquals(0, restore.exit(), restore.err());
        Map<String, Object> answer = jsonObject((restore.out()));
        assertEquals(Boolean.TRUE, answer.get("applied"));
        given().get("/api/keys/alice").then().statusCode(200);
    }

    @Test
    void credentialsGenerateShowsOnlyThePublicKeyAndImportReadsThePrivateKeyFromAFileOrStandardInput() throws Exception {
        login();

        Result generated = cli("credentials", "generate", "deployer", "--description", "for the fleet");
        assertEquals(0, generated.exit(), generated.err());
        assertThat(generated.outLines().get(0)).startsWith("credential deployer generated (ssh-ed25519, SHA256:");
        String publicKey = given().get("/api/credentials/deployer").then().statusCode(200).extract().path("public_key");
        assertThat(generated.outLines().get(1)).isEqualTo(publicKey);
        Result line = cli("credentials", "public-key", "deployer");
        assertEquals(0, line.exit(), line.err());
        assertEquals(publicKey + "\n", line.out());

        Path key = io.testum.testing.KeyGen.generate(work, "ed25519", 0, null, null, "robot@ci");
        String privateKey = Files.readString(key);
        Result imported = cli("credentials", "import", "robot", "--private-key-file", key.toString());
        assertEquals(0, imported.exit(), imported.err());
        assertThat(imported.out()).startsWith("credential robot imported (");
        Result piped = cli(privateKey, Map.of(), "credentials", "import", "robot-2", "-f", "-");
        assertEquals(0, piped.exit(), piped.err());
        Result password = cli("a-host-password\n", Map.of(), "credentials", "import", "vault", "--password-stdin");
        assertEquals(0, password.exit(), password.err());
        assertEquals(io.testum.testing.KeyGen.withoutComment(io.testum.testing.KeyGen.publicLine(key)),
                io.testum.testing.KeyGen.withoutComment(cli("credentials", "public-key", "robot").out().strip()));

        Result list = cli("credentials", "list", "--output", "json");
        assertEquals(0, list.exit(), list.err());
        assertThat(jsonList(list.out())).extracting(c -> c.get("name")).containsExactly("deployer", "robot", "robot-2", "vault");
        Result yaml = cli("credentials", "show", "vault", "--output", "yaml");
        assertThat(yaml.out()).contains("name: vault\n").contains("has_secret: true\n");
        for (Result r : List.of(generated, imported, piped, password, list, yaml, cli("credentials", "list"))) {
            assertThat(r.out() + r.err()).doesNotContain("PRIVATE KEY").doesNotContain(privateKey.lines().toList().get(1))
                    .doesNotContain("a-host-password");
        }
        assertEquals(4, cli("credentials", "generate", "deployer").exit(), "a name that is taken is a conflict");
        assertEquals(3, cli("credentials", "public-key", "nobody").exit(), "not found");
    }

    @Test
    void grantsCreateListUpdateShowAndRemove() {
        Fixtures.credential("deployer");
        Fixtures.platform("web-01", Map.of("role", "web"));
        Fixtures.key("alice", TestKeys.ED25519);
        Fixtures.key("bob", TestKeys.ED25519_B);
        login();

        Result created = cli("grants", "create", "web-admins", "--keys", "alice", "--selector", "role=web", "--user", "deploy",
                "--options", "no-agent-forwarding", "--expires", "2099-12-31T18:00:00Z");
        assertEquals(0, created.exit(), created.err());
        assertThat(created.out()).isEqualTo("access grant web-admins created (keys alice; platforms -; selector role=web)\n");
        assertEquals(0, cli("access", "create", "db-admins", "-k", "bob", "--platforms", "web-01").exit());

        Result table = cli("grants", "list");
        assertEquals(0, table.exit(), table.err());
        assertThat(table.outLines().get(0)).startsWith("NAME        KEYS   PLATFORMS  SELECTOR  USER");
        assertThat(table.outLines().get(2)).startsWith("web-admins  alice  -          role=web  deploy");
        List<Map<String, Object>> grants = jsonList(cli("grants", "list", "--output", "json").out());
        assertThat(grants).extracting(g -> g.get("name")).containsExactly("db-admins", "web-admins");
        assertEquals("2099-12-31T18:00:00Z", grants.get(1).get("expires"));

        Result updated = cli("grants", "update", "web-admins", "--keys", "alice,bob", "--no-expires");
        assertEquals(0, updated.exit(), updated.err());
        Map<String, Object> grant = jsonObject(cli("grants", "show", "web-admins", "--json").out());
        assertEquals(List.of("alice", "bob"), grant.get("keys"));
        assertEquals(null, grant.get("expires"));
        assertEquals("deploy", grant.get("user"), "what update was not given stays");
        assertEquals("no-agent-forwarding", grant.get("options"));

        Result bad = cli("grants", "create", "broken", "--keys", "nobody", "--platforms", "web-01");
        assertEquals(1, bad.exit());
        assertThat(bad.err()).startsWith("testumctl: ").contains("nobody");
        assertEquals(4, cli("grants", "create", "web-admins", "--keys", "alice", "--platforms", "web-01").exit());
        assertEquals(3, cli("grants", "show", "nobody").exit());
        assertThat(cli("grants", "remove", "web-admins", "db-admins").out()).contains("access grant db-admins removed");
        assertThat(jsonList(cli("grants", "list", "--json").out())).isEmpty();
    }

    @Test
    void usersAndTokensTheTokenIsPrintedOnceAndWorksUntilRevoked() {
        login();

        Result user = cli(Auth.PASSWORD + "\n", Map.of(), "users", "create", "carol", "--role", "viewer", "--password-stdin");
        assertEquals(0, user.exit(), user.err());
        assertThat(user.out()).isEqualTo("user carol created (viewer)\n");
        assertEquals(0, cli("users", "update", "carol", "--role", "operator").exit());
        Map<String, Object> carol = jsonObject(cli("users", "show", "carol", "--output", "json").out());
        assertEquals("operator", carol.get("role"));
        assertThat(carol).doesNotContainKeys("password", "password_hash");
        assertThat(cli("users", "list").outLines()).anySatisfy(l -> assertThat(l).startsWith("carol     operator  true"));
        assertEquals(2, cli("users", "update", "carol").exit(), "nothing to change");

        Result created = cli("tokens", "create", "ci", "--role", "viewer", "--expires-in-days", "30");
        assertEquals(0, created.exit(), created.err());
        String token = created.out().strip();
        assertThat(token).startsWith("tsm_");
        assertThat(created.err()).contains("shown only this once").doesNotContain(token);
        Result tokens = cli("tokens", "list", "--output", "json");
        assertThat(tokens.out()).doesNotContain(token);
        Map<String, Object> listed = jsonList(tokens.out()).get(0);
        assertEquals("ci", listed.get("name"));
        Map<String, String> asCi = Map.of("TESTUM_URL", url(), "TESTUM_TOKEN", token);
        Result whoami = cli("", asCi, "whoami");
        assertEquals(0, whoami.exit(), whoami.err());
        assertEquals(1, cli("", asCi, "users", "list").exit(), "a viewer token is refused the users");

        Result revoked = cli("tokens", "revoke", String.valueOf(listed.get("id")));
        assertEquals(0, revoked.exit(), revoked.err());
        assertEquals(1, cli("", asCi, "whoami").exit());
        assertThat(cli("users", "remove", "carol").out()).isEqualTo("user carol removed\n");
    }

    @Test
    void sourcesListSyncWaitExitsByTheResultAndDiffPreviewsARef() {
        GitRepo repo = GitRepo.init(work.resolve("ops"));
        repo.commit("testum.yaml", """
                platforms:
                  - name: web-01
                    host: 192.0.2.10
                    username: deploy
                    auth_method: key
                """, "first");
        post("/api/gitops/sources", Map.of("name", "ops", "url", repo.url())).statusCode(201);
        login();

        Result sync = cli("sources", "sync", "ops", "--wait");
        assertEquals(0, sync.exit(), sync.err());
        assertThat(sync.outLines().get(0)).startsWith("ops: applied");
        List<Map<String, Object>> sources = jsonList(cli("sources", "list", "--output", "json").out());
        assertThat(sources).extracting(s -> s.get("name")).containsExactly("ops");
        assertEquals(repo.head(), sources.get(0).get("last_applied_revision"));
        assertThat(cli("sources", "status", "ops", "--output", "yaml").out()).contains("last_applied_revision: " + repo.head());

        repo.branch("feature");
        repo.commit("testum.yaml", """
                platforms:
                  - name: web-02
                    host: 192.0.2.11
                    username: deploy
                    auth_method: key
                """, "rename");
        Result diff = cli("sources", "diff", "ops", "--ref", "feature");
        assertEquals(0, diff.exit(), diff.err());
        assertThat(diff.out()).contains("platforms:     1 created (web-02)").contains("1 deleted (web-01)");
        given().get("/api/platforms/web-02").then().statusCode(404);

        GitRepo.git("-C", repo.dir().toString(), "checkout", "-q", "main");
        repo.commit("testum.yaml", "platforms:\n  - name: web-01\n    host: 192.0.2.10\n    port: 0\n", "broken");
        Result stalled = cli("sources", "sync", "ops", "--wait");
        assertEquals(5, stalled.exit(), "a sync that stalled");
        assertThat(stalled.err()).contains("ops stalled (ValidationFailed)").contains("testum.yaml:4:11");
        assertEquals(3, cli("sources", "sync", "nowhere", "--wait").exit());
    }

    @Test
    void runsListShowAndFollowARunStartedWithoutWaiting() {
        hostsOnTheFleet();
        login();

        Result started = cli("runs", "start", "host-0", "echo hello; echo oops >&2");
        assertEquals(0, started.exit(), started.err());
        String id = started.out().strip();
        Result follow = cli("runs", "follow", id);
        assertEquals(0, follow.exit(), follow.err());
        assertThat(follow.outLines()).containsExactly("host-0 | hello");

        Result show = cli("runs", "show", id);
        assertEquals(0, show.exit(), show.err());
        assertThat(show.outLines()).anySatisfy(l -> assertThat(l).matches("status: +succeeded"));
        assertThat(show.outLines()).contains("host-0 | hello");
        assertThat(show.err()).contains("host-0 | oops");
        Map<String, Object> run = jsonObject(cli("runs", "show", id, "--output", "json").out());
        assertEquals("succeeded", run.get("status"));
        assertThat(run.get("results").toString()).contains("hello");
        List<Map<String, Object>> runs = jsonList(cli("runs", "list", "--output", "json").out());
        assertThat(runs).extracting(r -> r.get("id")).contains(id);
        assertThat(cli("runs", "list").outLines().get(0)).startsWith("ID").contains("STATUS");

        Result failing = cli("runs", "start", "host-1", "exit 4");
        assertEquals(4, cli("runs", "follow", failing.out().strip()).exit(), "a one-host run exits with the host's code");
        assertEquals(3, cli("runs", "show", "00000000-0000-0000-0000-000000000000").exit());
    }

    @Test
    void unmanagedKeysListAsJsonAndCompletionScripts() {
        Fixtures.credential("deployer");
        Fixtures.platform("web-01", Map.of("env", "prod"));
        login();

        Result fleet = cli("unmanaged-keys", "list", "--label", "env=prod", "--weak", "true", "--output", "json");
        assertEquals(0, fleet.exit(), fleet.err());
        assertEquals(List.of(), json(fleet.out()));
        Result one = cli("unmanaged-keys", "platform", "web-01", "--json");
        assertEquals(0, one.exit(), one.err());
        assertEquals(List.of(), json(one.out()));
        assertThat(cli("unmanaged-keys", "list").outLines()).hasSize(1).first().asString().startsWith("PLATFORM  USER  TYPE");
        Result badFilter = cli("unmanaged-keys", "list", "--fingerprint", "MD5:xx");
        assertEquals(1, badFilter.exit());
        assertThat(badFilter.err()).contains("fingerprint: must be a SHA256 fingerprint");

        for (String shell : List.of("bash", "zsh")) {
            Result completion = cli("completion", shell);
            assertEquals(0, completion.exit(), completion.err());
            assertThat(completion.out()).contains("complete -F _complete_testumctl").contains("credentials").contains("unmanaged-keys");
        }
        assertEquals(2, cli("completion", "fish").exit());
    }
}

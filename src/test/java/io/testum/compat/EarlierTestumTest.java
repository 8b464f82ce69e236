package io.testum.compat;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.testum.keys.TestKeys;
import io.testum.testing.Auth;
import io.testum.testing.EarlierFormat;
import io.testum.testing.GitRepo;
import io.testum.testing.PostgresResource;
import io.testum.testing.Sockets;
import io.testum.testing.SshFleet;
import io.testum.testing.TestDatabase;
import io.testum.testing.TestumctlProcess;
import io.testum.testing.WithSshFleet;
import io.vertx.core.json.JsonObject;

/**
 * Every example of the earlier testum's README (API calls, the GitOps file, testumctl), replayed against
 * this service: each answers as the earlier README says, or as this project's README ("Coming from the
 * earlier testum") says it differs.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithSshFleet(hosts = 1, passwords = true)
class EarlierTestumTest {

    private SshFleet fleet;

    @TestHTTPResource("/")
    URI base;

    @TempDir
    Path home;

    @TempDir
    Path work;

    @BeforeEach
    void reset() {
        TestDatabase.reset();
        Auth.asAdmin();
        fleet.host(0).setPassword("an-earlier-password");
    }

    private static Map<String, Object> earlierPlatform(String name, SshFleet.Host host) {
        return Map.of("name", name, "host", host.address(), "port", host.port(), "username", host.user(),
                "auth_method", "password", "password", "an-earlier-password");
    }

    @Test
    void loginAnswersTheTokenPairAndSetsTheCookie() {
        Auth.withoutDefaults(() -> given().contentType(ContentType.JSON)
                .body(Map.of("username", Auth.ADMIN, "password", Auth.ADMIN_PASSWORD)).post("/api/auth/login").then()
                .statusCode(200).body("access_token", notNullValue()).body("token_type", org.hamcrest.Matchers.is("Bearer"))
                .cookie("testum_access", notNullValue()));
    }

    @Test
    void platformsUnderTheEarlierPathWithATrailingSlashListAndCreate() {
        given().contentType(ContentType.JSON).body(earlierPlatform("server-01", fleet.host(0))).post("/api/platforms/").then()
                .statusCode(201).body("name", org.hamcrest.Matchers.is("server-01"));
        given().get("/api/platforms/").then().statusCode(200).body("items.name", hasItem("server-01"));
        // the earlier README lists without a login; here every call needs one
        Auth.withoutDefaults(() -> given().get("/api/platforms/").then().statusCode(401));
    }

    @Test
    void aPlatformCreatedWithItsPasswordKeepsItSealedAsACredentialOfItsOwnAndLogsInWithIt() {
        String answer = given().contentType(ContentType.JSON).body(earlierPlatform("server-01", fleet.host(0)))
                .post("/api/platforms").then().statusCode(201).extract().asString();

        assertThat(answer).doesNotContain("an-earlier-password").contains("\"credential\":\"server-01\"");
        given().get("/api/platforms/server-01").then().statusCode(200).body(org.hamcrest.Matchers.not(containsString("password\":")));
        given().get("/api/credentials/server-01").then().statusCode(200).body("kind", org.hamcrest.Matchers.is("password"))
                .body("has_secret", org.hamcrest.Matchers.is(true)).body("platforms", org.hamcrest.Matchers.contains("server-01"));
        assertThat(TestDatabase.rows("SELECT count(*) FROM credentials WHERE secret::text LIKE ?", "%an-earlier-password%"))
                .containsExactly(List.of("0"));
        given().queryParam("action", "credential.import").get("/api/audit").then().statusCode(200)
                .body("items.target", hasItem("server-01")).body("items.details.with", hasItem("platform.create"));
        given().post("/api/platforms/server-01/test-ssh").then().statusCode(200).body("authenticated", org.hamcrest.Matchers.is(true));

        // no other platform may log in with it
        given().contentType(ContentType.JSON).body(Map.of("name", "server-02", "host", "192.0.2.20", "username", "ubuntu",
                "auth_method", "password", "credential", "server-01")).post("/api/platforms").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.is("credential"))
                .body("errors[0].message", containsString("belongs to it"));
        // a new password replaces the old one; deleting the platform removes the credential
        given().contentType(ContentType.JSON).body(Map.of("host", fleet.host(0).address(), "port", fleet.host(0).port(),
                "username", fleet.host(0).user(), "auth_method", "password", "password", "a-second-password")).put("/api/platforms/server-01")
                .then().statusCode(200).body("credential", org.hamcrest.Matchers.is("server-01"));
        given().post("/api/platforms/server-01/test-ssh").then().statusCode(200).body("authenticated", org.hamcrest.Matchers.is(false));
        given().delete("/api/platforms/server-01").then().statusCode(204);
        given().get("/api/credentials/server-01").then().statusCode(404);
    }

    @Test
    void anInlineSecretIsCheckedLikeAnImportedOne() {
        given().contentType(ContentType.JSON).body(Map.of("name", "server-01", "host", "192.0.2.10", "username", "ubuntu",
                "auth_method", "key", "password", "secret")).post("/api/platforms").then().statusCode(400)
                .body("errors.field", hasItem("password"));
        given().contentType(ContentType.JSON).body(Map.of("name", "server-01", "host", "192.0.2.10", "username", "ubuntu",
                "auth_method", "key", "private_key", "not a key")).post("/api/platforms").then().statusCode(400)
                .body("errors.field", hasItem("private_key"))
                .body(org.hamcrest.Matchers.not(containsString("not a key")));
        given().contentType(ContentType.JSON).body(Map.of("name", "deployer")).post("/api/credentials/generate").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("name", "server-01", "host", "192.0.2.10", "username", "ubuntu",
                "auth_method", "password", "credential", "deployer", "password", "secret")).post("/api/platforms").then()
                .statusCode(400).body("errors.field", hasItem("credential"));
        given().get("/api/platforms").then().body("total", org.hamcrest.Matchers.is(0));
    }

    @Test
    void runCommandAndTheTaskSocketAsTheEarlierReadmeShowsThem() throws Exception {
        given().contentType(ContentType.JSON).body(earlierPlatform("server-01", fleet.host(0))).post("/api/platforms").then()
                .statusCode(201);

        // the earlier README addresses platforms by id; here by name
        String taskId = given().contentType(ContentType.JSON).body(Map.of("command", "uptime", "timeout", 60))
                .post("/api/platforms/server-01/run_command").then().statusCode(200).extract().path("task_id");
        List<JsonObject> messages = Sockets.messages(base, "/ws/tasks/" + taskId, Auth.adminToken());

        assertThat(messages).extracting(m -> m.getString("type")).contains("output", "done");
        assertThat(messages.stream().filter(m -> "output".equals(m.getString("type"))).map(m -> m.getString("data"))
                .reduce("", String::concat)).contains("load average");
        assertThat(messages.stream().filter(m -> "done".equals(m.getString("type"))).findFirst().orElseThrow()
                .getInteger("exit_code")).isZero();
    }

    @Test
    void backupExportToAFileAndImportOfThatFileAsAForm() throws Exception {
        given().contentType(ContentType.JSON).body(Map.of("name", "prod-key", "public_key", TestKeys.ED25519)).post("/api/keys")
                .then().statusCode(201);
        byte[] backup = given().get("/api/backup/export").then().statusCode(200).extract().asByteArray();
        Path file = work.resolve("backup.yaml");
        Files.write(file, backup);
        TestDatabase.reset();

        given().multiPart("file", file.toFile(), "application/yaml").post("/api/backup/import").then().statusCode(200)
                .body("applied", org.hamcrest.Matchers.is(true)).body("plan.ssh_key.created", hasItem("prod-key"));
    }

    @Test
    void gitopsImportOfTheEarlierExampleMakesAPlaceholderForSshKeyNameAndSaysSo() {
        GitRepo repo = GitRepo.init(work.resolve("repo"));
        repo.commit("testum-config.yaml", EarlierFormat.CONFIG, "earlier format");
        Map<String, Object> request = Map.of("git_url", repo.url(), "branch", "main", "config_path", "testum-config.yaml",
                "dry_run", true);

        given().contentType(ContentType.JSON).body(request).post("/api/gitops/import").then().statusCode(200)
                .body("dry_run", org.hamcrest.Matchers.is(true)).body("applied", org.hamcrest.Matchers.is(false))
                .body("plan.credential.created", org.hamcrest.Matchers.contains("prod-key"))
                .body("plan.platform.created", org.hamcrest.Matchers.containsInAnyOrder("web-server-01", "db-server-01"))
                .body("plan.notes[0]", containsString("credential 'prod-key' is a placeholder that ssh_key_name of platform "
                        + "'web-server-01'"));
        given().get("/api/platforms").then().body("total", org.hamcrest.Matchers.is(0));

        given().contentType(ContentType.JSON).body(Map.of("git_url", repo.url(), "branch", "main", "config_path",
                "testum-config.yaml", "dry_run", false)).post("/api/gitops/import").then().statusCode(200)
                .body("applied", org.hamcrest.Matchers.is(true));
        given().get("/api/credentials/prod-key").then().statusCode(200).body("has_secret", org.hamcrest.Matchers.is(false));
        given().get("/api/platforms/web-server-01").then().statusCode(200).body("credential", org.hamcrest.Matchers.is("prod-key"));
        given().get("/api/platforms/db-server-01").then().statusCode(200).body("auth_method", org.hamcrest.Matchers.is("password"));
        given().get("/api/keys/prod-key").then().statusCode(200);
    }

    @Test
    void theEarlierTestumctlCommandsWorkOrSayWhatDiffers() {
        TestumctlProcess testumctl = new TestumctlProcess(home, work);
        String url = base.toString().replaceAll("/$", "");

        // login asks for the password on a terminal; without one it takes --password-stdin
        assertEquals(0, testumctl.run(Auth.ADMIN_PASSWORD + "\n", Map.of(), "login", "--url", url, "-u", "admin",
                "--password-stdin").exit());
        // --auth-method password without a credential: the password comes from the terminal, or standard input
        TestumctlProcess.Result add = testumctl.run("an-earlier-password\n", Map.of(), "platforms", "add",
                "--name", "server-01", "--host", fleet.host(0).address(), "--port", String.valueOf(fleet.host(0).port()),
                "--username", fleet.host(0).user(), "--auth-method", "password", "--password-stdin");
        assertEquals(0, add.exit(), add.err());
        assertThat(testumctl.run("platforms", "list").out()).contains("server-01");
        assertThat(testumctl.run("platforms", "list", "--json").out()).contains("\"name\" : \"server-01\"");
        // keys are named, not numbered: --ssh-key-id is --credential (or --ssh-key-name) NAME here
        TestumctlProcess.Result byId = testumctl.run("platforms", "add", "--name", "server-02", "--host", "192.168.1.101",
                "--username", "ubuntu", "--auth-method", "key", "--ssh-key-id", "1");
        assertEquals(2, byId.exit());
        assertThat(byId.err()).contains("Unknown option: '--ssh-key-id'");
        TestumctlProcess.Result byName = testumctl.run("platforms", "add", "--name", "server-02", "--host", "192.168.1.101",
                "--username", "ubuntu", "--auth-method", "key", "--ssh-key-name", "prod-key");
        assertEquals(1, byName.exit());
        assertThat(byName.err()).contains("credential 'prod-key' does not exist");
        // platforms are named, not numbered: exec and remove take the name
        TestumctlProcess.Result exec = testumctl.run("exec", "server-01", "uptime");
        assertEquals(0, exec.exit(), exec.err());
        assertThat(exec.out().strip()).matches("[0-9a-f-]{36}");
        TestumctlProcess.Result waited = testumctl.run("exec", "server-01", "df -h", "--wait");
        assertEquals(0, waited.exit(), waited.err());
        assertThat(waited.out()).contains("server-01 | Filesystem");
        assertEquals(0, testumctl.run("platforms", "remove", "server-01").exit());
    }
}

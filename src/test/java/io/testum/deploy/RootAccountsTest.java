package io.testum.deploy;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.testum.testing.Auth;
import io.testum.testing.Fixtures;
import io.testum.testing.KeyGen;
import io.testum.testing.PostgresResource;
import io.testum.testing.SshFleet.Kind;
import io.testum.testing.SshFleet;
import io.testum.testing.TestDatabase;
import io.testum.testing.WithSshFleet;

/**
 * A platform that testum logs in to as root, managing the keys of another account: the account
 * controls its home, so testum works there as the account, and an account that points its files
 * elsewhere (a link to a root-owned file, to another account's directory, a temporary file
 * swapped for a link mid-write) gets a failed deployment, never a read or a write through the link.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithSshFleet(kinds = {Kind.ROOT_LOGIN})
class RootAccountsTest {

    private SshFleet fleet;

    @Inject
    DeploymentService deployments;

    @TempDir
    Path tmp;

    private SshFleet.Host host;
    private SshFleet.Account account;
    private SshFleet.Account other;
    private Path alice;
    private Path secret;
    private String marker;

    @BeforeEach
    void setUp() throws IOException {
        TestDatabase.reset();
        Auth.asAdmin();
        host = fleet.host(0);
        account = host.account(0);
        other = host.account(1);
        String testumKey = post("/api/credentials/generate", Map.of("name", "deployer")).statusCode(201).extract()
                .path("public_key");
        host.login().writeAuthorizedKeys(testumKey + "\n");
        for (SshFleet.Account a : List.of(account, other)) {
            SshFleet.deleteTree(a.home().resolve(".ssh"));
        }
        marker = "SECRET-" + UUID.randomUUID();
        secret = host.dir().resolve("secret");
        Files.writeString(secret, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIRoot " + marker + "\nroot:" + marker + ":19000::::::\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        alice = KeyGen.generate(tmp, "ed25519", 0, null, null, "alice@laptop");
        Fixtures.key("alice", KeyGen.publicLine(alice));
    }

    private void platformManaging(String user, String mode) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "box", "host", host.address(), "port", host.port(),
                "username", "root", "auth_method", "key", "credential", "deployer", "authorized_keys_mode", mode));
        post("/api/platforms", body).statusCode(201);
        // Every grant names the account: none may reach root's own (real) authorized_keys.
        post("/api/access", Map.of("name", "admins", "keys", List.of("alice"), "platforms", List.of("box"), "user", user))
                .statusCode(201);
    }

    private static io.restassured.response.ValidatableResponse deploy() {
        return given().post("/api/platforms/box/deploy-keys").then().statusCode(200);
    }

    /** The link target is as it was, still root's, and its content is in no answer and no log line. */
    private void assertSecretUntouchedAndUnread(String... answers) throws IOException {
        assertTrue(Files.readString(secret).contains(marker));
        assertEquals("root", Files.getOwner(secret, LinkOption.NOFOLLOW_LINKS).getName());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
        deployments.periodic();
        List<String> all = new java.util.ArrayList<>(List.of(answers));
        all.add(given().get("/api/platforms/box/authorized-keys").then().statusCode(200).extract().asString());
        all.add(given().get("/api/deployments").then().statusCode(200).extract().asString());
        all.add(Files.readString(Path.of("target/testum-test.log"), StandardCharsets.UTF_8));
        for (String text : all) {
            assertFalse(text.contains(marker), "the link target's content leaked: " + text.lines()
                    .filter(l -> l.contains(marker)).findFirst().orElse(""));
        }
    }

    @Test
    void writesAnotherAccountsKeysAsThatAccount() throws IOException {
        platformManaging(account.user(), "merge");
        deploy().body("deployments[0].user", equalTo(account.user())).body("deployments[0].status", equalTo("in_sync"));
        Path ssh = account.home().resolve(".ssh");
        assertEquals(account.user(), Files.getOwner(ssh).getName());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ssh)));
        assertEquals(account.user(), Files.getOwner(account.authorizedKeys()).getName());
        assertEquals(account.user(), Files.readAttributes(account.authorizedKeys(),
                java.nio.file.attribute.PosixFileAttributes.class).group().getName());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(account.authorizedKeys())));
        assertEquals(ManagedBlock.BEGIN + "\n" + KeyGen.publicLine(alice) + "\n" + ManagedBlock.END + "\n",
                account.authorizedKeysText());
        assertTrue(host.acceptsLogin(account.user(), alice), "alice logs in as the account");
        deploy().body("deployments[0].status", equalTo("in_sync"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"su", "setpriv"})
    void actsAsTheAccountWithWhicheverToolTheHostHas(String tool) throws Exception {
        Path bin = Files.createDirectories(host.dir().resolve("bin-" + tool));
        for (String name : List.of("sh", "getent", "cut", "awk", "id", "cat", "mv", "rm", "mkdir", "sync", "sha256sum", tool)) {
            String path = KeyGen.run(List.of("sh", "-c", "command -v " + name)).strip();
            Files.createSymbolicLink(bin.resolve(name), Path.of(path));
        }
        host.reconfigure("SetEnv PATH=" + bin);
        try {
            platformManaging(account.user(), "exclusive");
            deploy().body("deployments[0].status", equalTo("in_sync"));
            assertEquals(account.user(), Files.getOwner(account.authorizedKeys()).getName());
            assertTrue(host.acceptsLogin(account.user(), alice));
        } finally {
            host.reconfigure();
        }
    }

    @Test
    void refusesASshDirectoryThatTheAccountDoesNotOwn() throws IOException {
        Path ssh = Files.createDirectories(account.home().resolve(".ssh"));
        Files.writeString(ssh.resolve("authorized_keys"), "# root put this here\n");
        platformManaging(account.user(), "merge");
        deploy().body("deployments[0].status", equalTo("failed"))
                .body("deployments[0].error", containsString("~/.ssh is not owned by " + account.user()));
        assertEquals("# root put this here\n", Files.readString(ssh.resolve("authorized_keys")));
        assertEquals(List.of("authorized_keys"), SshFleet.listing(ssh));
    }

    @ParameterizedTest
    @ValueSource(strings = {"merge", "exclusive"})
    void refusesAuthorizedKeysLinkedToARootFile(String mode) throws IOException {
        account.writeAuthorizedKeys("# mine\n");
        account.run("rm .ssh/authorized_keys && ln -s " + secret + " .ssh/authorized_keys");
        platformManaging(account.user(), mode);
        String answer = deploy().body("deployments[0].status", equalTo("failed"))
                .body("deployments[0].error", containsString("~/.ssh/authorized_keys is a symbolic link"))
                .extract().asString();
        assertTrue(Files.isSymbolicLink(account.authorizedKeys()));
        assertSecretUntouchedAndUnread(answer);
    }

    @ParameterizedTest
    @ValueSource(strings = {"merge", "exclusive"})
    void refusesASshDirectoryLinkedToAnotherAccounts(String mode) throws IOException {
        other.writeAuthorizedKeys("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOther " + marker + "\n");
        byte[] before = other.authorizedKeysBytes();
        account.run("ln -s " + other.home().resolve(".ssh") + " .ssh");
        platformManaging(account.user(), mode);
        String answer = deploy().body("deployments[0].status", equalTo("failed"))
                .body("deployments[0].error", containsString("~/.ssh is a symbolic link"))
                .extract().asString();
        assertArrayEquals(before, other.authorizedKeysBytes());
        assertEquals(other.user(), Files.getOwner(other.authorizedKeys()).getName());
        assertEquals(List.of("authorized_keys"), SshFleet.listing(other.home().resolve(".ssh")));
        assertSecretUntouchedAndUnread(answer);
    }

    @ParameterizedTest
    @ValueSource(strings = {"merge", "exclusive"})
    void refusesATemporaryFileSwappedForALinkWhileItIsWritten(String mode) throws IOException {
        account.writeAuthorizedKeys("# mine\n");
        byte[] before = account.authorizedKeysBytes();
        QuarkusMock.installMockForType(new DeploymentHooks() {
            @Override
            public void beforeRename(String platform, String acct, String path) {
                Path ssh = account.home().resolve(".ssh");
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                        .until(() -> DeploymentTest.holdsATemporaryFile(ssh));
                String temp = SshFleet.listing(ssh).stream().filter(f -> f.contains(".testum-")).findFirst().orElseThrow();
                account.run("ln -s " + secret + " .ssh/swap && mv -f .ssh/swap .ssh/" + temp);
            }
        }, DeploymentHooks.class);
        platformManaging(account.user(), mode);
        String answer = deploy().body("deployments[0].status", equalTo("failed"))
                .body("deployments[0].error", containsString("was replaced while testum wrote it"))
                .extract().asString();
        assertFalse(Files.isSymbolicLink(account.authorizedKeys()));
        assertArrayEquals(before, account.authorizedKeysBytes());
        assertEquals(List.of("authorized_keys"), SshFleet.listing(account.home().resolve(".ssh")), "the link is gone too");
        assertSecretUntouchedAndUnread(answer);
    }

    @Test
    void failsForAnAccountThatDoesNotExist() {
        platformManaging("t14nobody", "merge");
        deploy().body("deployments[0].status", equalTo("failed"))
                .body("deployments[0].error", containsString("account 't14nobody' does not exist"));
    }
}

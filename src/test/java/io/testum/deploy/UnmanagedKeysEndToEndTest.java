package io.testum.deploy;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.testum.testing.Auth;
import io.testum.testing.GitRepo;
import io.testum.testing.GitRepoResource;
import io.testum.testing.KeyGen;
import io.testum.testing.PostgresResource;
import io.testum.testing.SshFleet;
import io.testum.testing.TestDatabase;
import io.testum.testing.WithSshFleet;

/** Keys someone added by hand beside testum's block, on real OpenSSH hosts: found, listed, and removed only when asked. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(GitRepoResource.class)
@WithSshFleet(hosts = 2)
class UnmanagedKeysEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SECRET = "hunter2-not-a-key";

    private SshFleet fleet;
    private GitRepo repo;

    @Inject
    DeploymentService deployments;

    @TempDir
    Path tmp;

    private String testumKey;
    private Path alice;
    private Path bob;
    private Path carol;
    private Path dave;
    private Path erin;

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        Auth.asAdmin();
        testumKey = post("/api/credentials/generate", Map.of("name", "deployer")).statusCode(201).extract().path("public_key");
        for (SshFleet.Host host : fleet.hosts()) {
            host.writeAuthorizedKeys(testumKey + "\n");
        }
        alice = KeyGen.generate(tmp, "ed25519", 0, null, null, "alice@laptop");
        bob = KeyGen.generate(tmp, "ed25519", 0, null, null, "bob@desk");
        carol = KeyGen.generate(tmp, "ed25519", 0, null, null, "carol@home");
        dave = KeyGen.generate(tmp, "rsa", 1024, null, null, "dave@old-box");
        erin = KeyGen.generate(tmp, "ed25519", 0, null, null, "erin@ci");
    }

    /** alice granted everywhere; bob a known key granted nowhere; web-01 faces the internet. */
    private String document(String unmanaged) {
        StringBuilder doc = new StringBuilder("ssh_keys:\n");
        doc.append("  - name: alice\n    public_key: \"").append(KeyGen.publicLine(alice)).append("\"\n");
        doc.append("  - name: bob\n    public_key: \"").append(KeyGen.publicLine(bob)).append("\"\n");
        doc.append("platforms:\n");
        for (int i = 0; i < fleet.hosts().size(); i++) {
            SshFleet.Host host = fleet.host(i);
            doc.append("  - name: web-0").append(i + 1).append("\n    host: 127.0.0.1\n    port: ").append(host.port())
                    .append("\n    username: ").append(host.user()).append("\n    auth_method: key\n    credential: deployer\n")
                    .append("    labels: {role: web").append(i == 0 ? ", exposure: internet" : "").append("}\n");
        }
        doc.append("access:\n  - name: web-admins\n    keys: [alice]\n    selector: {role: web}\n");
        doc.append("settings:\n  unmanaged: ").append(unmanaged).append("\n");
        return doc.toString();
    }

    private void start(String unmanaged) {
        repo.commit("testum.yaml", document(unmanaged), "unmanaged: " + unmanaged);
        post("/api/gitops/sources", Map.of("name", "ops", "url", repo.url())).statusCode(201);
        given().post("/api/gitops/sources/ops/sync?wait=true").then().statusCode(200);
        await("alice's key on every host").atMost(WAIT).until(() -> fleet.hosts().stream()
                .allMatch(h -> h.authorizedKeysText().contains(KeyGen.publicLine(alice))));
        await().atMost(WAIT).until(() -> !deployments.busy());
    }

    /** Adds bob (known), carol (unknown), dave (RSA-1024), erin (with options) and a line that is not a key. */
    private void handAdd(SshFleet.Host host) {
        host.writeAuthorizedKeys(host.authorizedKeysText() + "# added by hand\n" + KeyGen.publicLine(bob) + "\n"
                + KeyGen.publicLine(carol) + "\n" + KeyGen.publicLine(dave) + "\n"
                + "from=\"10.0.0.0/8\",no-pty " + KeyGen.publicLine(erin) + "\n" + "password: " + SECRET + "\n");
    }

    private static String fingerprint(Path privateKey) {
        return KeyGen.fingerprintLine(Path.of(privateKey + ".pub")).split("\\s+")[1];
    }

    private static int bits(Path privateKey) {
        return Integer.parseInt(KeyGen.fingerprintLine(Path.of(privateKey + ".pub")).split("\\s+")[0]);
    }

    private String testumFingerprint() throws Exception {
        Path file = tmp.resolve("testum.pub");
        Files.writeString(file, testumKey + "\n");
        return KeyGen.fingerprintLine(file).split("\\s+")[1];
    }

    @SuppressWarnings("unchecked")
    private static List<String> flags(Map<String, Object> row) {
        return (List<String>) row.get("flags");
    }

    private static Map<String, Map<String, Object>> byFingerprint(JsonPath json, String path) {
        List<Map<String, Object>> items = json.getList(path);
        return items.stream().collect(Collectors.toMap(i -> (String) i.get("fingerprint"), i -> i));
    }

    @Test
    void handAddedKeysAreFoundOnTheNextDriftCheckWithTheFingerprintsSshKeygenPrintsAndFlagged() throws Exception {
        start("keep");
        handAdd(fleet.host(0));

        deployments.periodic();

        String body = given().get("/api/platforms/web-01/unmanaged-keys").then().statusCode(200)
                .body("total", equalTo(5)).extract().asString();
        assertThat(body).doesNotContain(SECRET).doesNotContain("password");
        Map<String, Map<String, Object>> found = byFingerprint(JsonPath.from(body), "items");
        assertThat(found).containsOnlyKeys(fingerprint(bob), fingerprint(carol), fingerprint(dave), fingerprint(erin),
                testumFingerprint());
        Map<String, Object> bobRow = found.get(fingerprint(bob));
        assertThat(bobRow).containsEntry("known_key", "bob").containsEntry("type", "ssh-ed25519")
                .containsEntry("comment", "bob@desk").containsEntry("platform", "web-01")
                .containsEntry("user", fleet.host(0).user()).containsKeys("first_seen_at", "last_seen_at");
        assertThat(flags(bobRow)).containsExactly("no_from");
        Map<String, Object> daveRow = found.get(fingerprint(dave));
        assertThat(daveRow).containsEntry("bits", bits(dave)).containsEntry("type", "ssh-rsa");
        assertThat(bits(dave)).isEqualTo(1024);
        assertThat(flags(daveRow)).containsExactly("weak", "unknown", "no_from");
        assertThat(flags(found.get(fingerprint(carol)))).containsExactly("unknown", "no_from");
        Map<String, Object> erinRow = found.get(fingerprint(erin));
        assertThat(erinRow).containsEntry("options", "from=\"10.0.0.0/8\",no-pty");
        assertThat(flags(erinRow)).containsExactly("unknown");
        assertThat(flags(found.get(testumFingerprint()))).containsExactly("testum_login", "no_from");
        assertThat(fleet.host(0).authorizedKeysText()).contains(KeyGen.publicLine(carol), SECRET);
        assertThat(fleet.host(0).acceptsLogin(carol)).as("keep changes nothing on the host").isTrue();
        assertThat(TestDatabase.rows("SELECT id FROM audit_log WHERE action = 'deployment.unmanaged_key'"))
                .as("keep records without auditing").isEmpty();

        // The rows are in the database, not in memory: a restart finds them there.
        assertThat(TestDatabase.rows("SELECT fingerprint FROM unmanaged_keys WHERE fingerprint = ?", fingerprint(carol)))
                .hasSize(1);
    }

    @Test
    void theFleetWideListAnswersWhereAFingerprintCanLogInAndFiltersByWeakKnownAndLabel() throws Exception {
        start("keep");
        handAdd(fleet.host(0));
        fleet.host(1).writeAuthorizedKeys(fleet.host(1).authorizedKeysText() + KeyGen.publicLine(bob) + "\n");

        deployments.periodic();

        given().get("/api/unmanaged-keys?fingerprint=" + fingerprint(bob)).then().statusCode(200)
                .body("total", equalTo(2)).body("items.platform", equalTo(List.of("web-01", "web-02")))
                .body("items.user", equalTo(List.of(fleet.host(0).user(), fleet.host(1).user())));
        given().get("/api/unmanaged-keys?weak=true").then().body("total", equalTo(1))
                .body("items[0].fingerprint", equalTo(fingerprint(dave)));
        given().get("/api/unmanaged-keys?known=true").then().body("total", equalTo(2))
                .body("items.known_key", equalTo(List.of("bob", "bob")));
        given().get("/api/unmanaged-keys?label=exposure=internet&known=false&weak=false").then()
                .body("items.platform", org.hamcrest.Matchers.everyItem(equalTo("web-01"))).body("total", equalTo(3));
        given().get("/api/unmanaged-keys?platform=web-02").then().body("total", equalTo(2));
        // A key-only label filter keeps the platforms that carry the label, whatever its value.
        int onWeb01 = given().get("/api/unmanaged-keys?platform=web-01").then().extract().path("total");
        given().get("/api/unmanaged-keys?label=exposure").then().statusCode(200)
                .body("items.platform", org.hamcrest.Matchers.everyItem(equalTo("web-01"))).body("total", equalTo(onWeb01));
        given().get("/api/unmanaged-keys?label=nosuchlabel").then().statusCode(200).body("total", equalTo(0));
        given().get("/api/unmanaged-keys?size=2&page=1").then().body("page", equalTo(1)).body("size", equalTo(2))
                .body("items.size()", equalTo(2)).body("total", equalTo(7));
        given().get("/api/unmanaged-keys?weak=maybe").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("weak"));
        given().get("/api/unmanaged-keys?fingerprint=MD5:aa").then().statusCode(400)
                .body("errors[0].field", equalTo("fingerprint"));
        given().get("/api/platforms/nowhere/unmanaged-keys").then().statusCode(404)
                .contentType("application/problem+json");

        String csv = given().get("/api/unmanaged-keys/export?format=csv").then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/csv")).extract().asString();
        assertThat(csv).startsWith("platform,user,type,bits,fingerprint,comment,options,known_key,flags,first_seen_at,last_seen_at\n")
                .contains(fingerprint(dave)).contains("\"from=\"\"10.0.0.0/8\"\",no-pty\"").doesNotContain(SECRET);
        assertThat(csv.lines()).hasSize(8);
        String json = given().get("/api/unmanaged-keys/export?format=json&weak=true").then().statusCode(200)
                .extract().asString();
        assertThat(JsonPath.from(json).getList("fingerprint")).containsExactly(fingerprint(dave));
        assertThat(JsonPath.from(json).getList("first_seen_at")).hasSize(1);
        assertThat(JsonPath.from(json).getList("known_key")).containsExactly((Object) null);
        assertThat(json).doesNotContain(SECRET);
        given().get("/api/unmanaged-keys/export?format=xml").then().statusCode(400);

        // A key taken off the host is no longer listed after the next read.
        fleet.host(1).writeAuthorizedKeys(fleet.host(1).authorizedKeysText().replace(KeyGen.publicLine(bob) + "\n", ""));
        deployments.periodic();
        given().get("/api/unmanaged-keys?fingerprint=" + fingerprint(bob)).then().body("total", equalTo(1))
                .body("items[0].platform", equalTo("web-01"));
    }

    @Test
    void removeTakesOutExactlyWhatThePreviewListedAndKeepsTestumsKeyTheBlockAndTheComments() throws Exception {
        start("keep");
        SshFleet.Host host = fleet.host(0);
        handAdd(host);
        deployments.periodic();
        JsonPath keep = given().get("/api/platforms/web-01/unmanaged-keys/removal").then().statusCode(200)
                .body("unmanaged", equalTo("keep")).extract().jsonPath();
        assertThat(host.authorizedKeysText()).contains(KeyGen.publicLine(carol));

        repo.commit("testum.yaml", document("remove"), "remove unmanaged keys");
        given().post("/api/gitops/sources/ops/sync?wait=true").then().statusCode(200);
        await().atMost(WAIT).until(() -> !deployments.busy());
        JsonPath preview = given().get("/api/platforms/web-01/unmanaged-keys/removal").then().statusCode(200)
                .body("unmanaged", equalTo("remove")).extract().jsonPath();
        Set<String> listed = Set.copyOf(preview.getList("keys.fingerprint"));
        assertThat(listed).isEqualTo(Set.copyOf(keep.getList("keys.fingerprint")))
                .containsExactlyInAnyOrder(fingerprint(bob), fingerprint(carol), fingerprint(dave), fingerprint(erin));
        assertThat(preview.getMap("unparsed_lines")).containsExactly(Map.entry(host.user(), 1));
        assertThat(preview.prettify()).doesNotContain(SECRET);

        deployments.periodic();

        String after = host.authorizedKeysText();
        assertThat(after).contains("# BEGIN TESTUM MANAGED KEYS", KeyGen.publicLine(alice), "# added by hand", testumKey)
                .doesNotContain(KeyGen.publicLine(bob), KeyGen.publicLine(carol), KeyGen.publicLine(dave),
                        KeyGen.publicLine(erin), SECRET);
        given().get("/api/platforms/web-01/unmanaged-keys").then().body("total", equalTo(1))
                .body("items[0].flags", equalTo(List.of("testum_login", "no_from")));
        assertThat(host.acceptsLogin(alice)).as("the granted key still logs in").isTrue();
        assertThat(host.acceptsLogin(carol)).as("the removed key no longer does").isFalse();
        given().post("/api/platforms/web-01/test-ssh").then().statusCode(200).body("authenticated", equalTo(true));
        given().get("/api/platforms/web-01/authorized-keys").then().body("deployments[0].status", equalTo("in_sync"));
        // The other host, with nothing by hand, keeps testum's key outside the block too.
        assertThat(fleet.host(1).authorizedKeysText()).contains(testumKey, KeyGen.publicLine(alice));
    }

    @Test
    void reportAuditsEachKeyTheFirstTimeItIsSeenAndNeverTheLine() throws Exception {
        start("report");
        handAdd(fleet.host(0));

        deployments.periodic();
        deployments.periodic();

        List<List<String>> audited = TestDatabase.rows("SELECT target, details->>'fingerprint', details::text FROM audit_log "
                + "WHERE action = 'deployment.unmanaged_key' ORDER BY id");
        assertThat(audited).extracting(r -> r.get(0) + " " + r.get(1)).containsExactlyInAnyOrder(
                "web-01 " + fingerprint(bob), "web-01 " + fingerprint(carol), "web-01 " + fingerprint(dave),
                "web-01 " + fingerprint(erin), "web-01 " + testumFingerprint(), "web-02 " + testumFingerprint());
        assertThat(audited).extracting(r -> r.get(2)).noneMatch(d -> d.contains(SECRET) || d.contains("AAAA"));
        assertThat(fleet.host(0).authorizedKeysText()).contains(KeyGen.publicLine(carol), SECRET);
    }
}

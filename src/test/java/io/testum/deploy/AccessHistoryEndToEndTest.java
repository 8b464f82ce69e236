package io.testum.deploy;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
import java.util.Map;

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

/**
 * The access history on real OpenSSH hosts driven by a GitOps source: it answers who could log in
 * where before, during and after a grant that expired; a failed or unreachable deployment starts
 * nothing; drift found on a host is recorded as what was found; keys outside the block have their
 * intervals; a deleted platform's history stays, ended; an API change names who made it.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(GitRepoResource.class)
@WithSshFleet(hosts = 2)
class AccessHistoryEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private SshFleet fleet;
    private GitRepo repo;

    @Inject
    DeploymentService deployments;

    @TempDir
    Path tmp;

    private Path alice;
    private Path bob;
    private Path carol;
    private Path dave;

    @BeforeEach
    void setUp() {
        // a deployment or drift repair an earlier test started ends before the database and the hosts' files are reset
        await().atMost(WAIT).until(() -> !deployments.busy());
        TestDatabase.reset();
        Auth.asAdmin();
        String testumKey = post("/api/credentials/generate", Map.of("name", "deployer")).statusCode(201).extract()
                .path("public_key");
        for (SshFleet.Host host : fleet.hosts()) {
            host.writeAuthorizedKeys(testumKey + "\n");
        }
        alice = KeyGen.generate(tmp, "ed25519", 0, null, null, "alice@laptop");
        bob = KeyGen.generate(tmp, "ed25519", 0, null, null, "bob@desk");
        carol = KeyGen.generate(tmp, "ed25519", 0, null, null, "carol@home");
        dave = KeyGen.generate(tmp, "ed25519", 0, null, null, "dave@by-hand");
    }

    /** alice on every web platform; {@code more} adds platform and access lines. */
    private String document(int platforms, String morePlatforms, String moreAccess, String settings) {
        StringBuilder doc = new StringBuilder("ssh_keys:\n");
        doc.append("  - name: alice\n    public_key: \"").append(KeyGen.publicLine(alice)).append("\"\n");
        doc.append("  - name: bob\n    public_key: \"").append(KeyGen.publicLine(bob)).append("\"\n");
        doc.append("platforms:\n");
        for (int i = 0; i < platforms; i++) {
            SshFleet.Host host = fleet.host(i);
            doc.append("  - name: web-0").append(i + 1).append("\n    host: 127.0.0.1\n    port: ").append(host.port())
                    .append("\n    username: ").append(host.user()).append("\n    auth_method: key\n    credential: deployer\n")
                    .append("    labels: {role: web}\n");
        }
        doc.append(morePlatforms);
        doc.append("access:\n  - name: web-admins\n    keys: [alice]\n    selector: {role: web}\n").append(moreAccess);
        doc.append(settings);
        return doc.toString();
    }

    /** Commits {@code document}, makes it the source {@code ops} (or syncs it again), and waits until its deployments are done. */
    private String push(String document, boolean first) {
        String revision = repo.commit("testum.yaml", document, "access");
        if (first) {
            post("/api/gitops/sources", Map.of("name", "ops", "url", repo.url())).statusCode(201);
        }
        given().post("/api/gitops/sources/ops/sync?wait=true").then().statusCode(200);
        await("alice's key on web-01").atMost(WAIT).until(() -> fleet.host(0).authorizedKeysText().contains(KeyGen.publicLine(alice)));
        await().atMost(WAIT).until(() -> !deployments.busy());
        return revision;
    }

    private static JsonPath history(String query) {
        return given().get("/api/access-history?size=100&" + query).then().statusCode(200).extract().jsonPath();
    }

    private static String fingerprint(Path privateKey) {
        return KeyGen.fingerprintLine(Path.of(privateKey + ".pub")).split("\\s+")[1];
    }

    private static Instant instant(JsonPath json, String path) {
        String value = json.getString(path);
        return value == null ? null : Instant.parse(value);
    }

    @Test
    void historyAnswersWhoCouldLogInBeforeDuringAndAfterAGrantThatExpired() {
        Instant first = Instant.now();
        long started = System.nanoTime();
        push(document(2, "", "", ""), true);
        // Far enough ahead for a deployment to finish on this machine (three times the first one), near enough to wait for.
        Duration deploy = Duration.ofNanos(System.nanoTime() - started);
        Instant before = Instant.now();
        Instant expires = before.plus(Collections.max(List.of(Duration.ofSeconds(6), deploy.multipliedBy(3))))
                .truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        String revision = push(document(2, "", "  - name: temp\n    keys: [bob]\n    platforms: [web-01]\n    expires: "
                + expires + "\n", ""), false);
        assertThat(Instant.now()).as("the deployment finished before the grant expired").isBefore(expires);
        assertThat(fleet.host(0).acceptsLogin(bob)).isTrue();
        Instant during = Instant.now();
        String user = fleet.host(0).user();

        JsonPath then = history("at=" + during + "&fingerprint=" + fingerprint(bob));
        assertThat(then.getInt("total")).isEqualTo(1);
        assertThat(then.getString("items[0].platform")).isEqualTo("web-01");
        assertThat(then.getString("items[0].user")).isEqualTo(user);
        assertThat(then.getString("items[0].observed")).isEqualTo("managed");
        assertThat(then.getList("items[0].keys.name")).containsExactly("alice", "bob", "testum:deployer");
        assertThat(then.getList("items[0].keys.fingerprint")).contains(fingerprint(alice), fingerprint(bob));
        assertThat(then.getString("items[0].source")).isEqualTo("ops");
        assertThat(then.getString("items[0].revision")).isEqualTo(revision);
        assertThat(then.getString("items[0].to")).isNull();
        assertThat(instant(then, "items[0].from")).isBetween(before, during);
        assertThat(history("at=" + first + "&platform=web-01").getInt("total")).as("nothing before the first deployment")
                .isZero();
        assertThat(history("at=" + before + "&fingerprint=" + fingerprint(bob)).getInt("total")).as("nor before the grant")
                .isZero();
        assertThat(history("at=" + during + "&platform=web-02&observed=managed").getList("items.keys.name"))
                .containsExactly(List.of("alice", "testum:deployer"));

        await("the grant's expiry").atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> Instant.now().isAfter(expires));
        deployments.expireGrants();
        await("bob's key gone from web-01").atMost(WAIT).until(() -> !deployments.busy()
                && !fleet.host(0).authorizedKeysText().contains(KeyGen.publicLine(bob)));
        Instant after = Instant.now();

        assertThat(history("at=" + after + "&fingerprint=" + fingerprint(bob)).getInt("total")).isZero();
        assertThat(fleet.host(0).acceptsLogin(bob)).isFalse();
        JsonPath now = history("at=" + after + "&platform=web-01&observed=managed");
        assertThat(now.getInt("total")).isEqualTo(1);
        assertThat(now.getList("items[0].keys.name")).containsExactly("alice", "testum:deployer");
        assertThat(now.getString("items[0].source")).isEqualTo("expiry");
        assertThat(now.getList("items[0].changes[0].grants")).containsExactly("temp");

        JsonPath range = history("platform=web-01&observed=managed&from=" + first + "&to=" + after);
        assertThat(range.getList("items.keys.name")).containsExactly(List.of("alice", "testum:deployer"),
                List.of("alice", "bob", "testum:deployer"), List.of("alice", "testum:deployer"));
        assertThat(instant(range, "items[0].to")).isEqualTo(instant(range, "items[1].from"));
        Instant lapsed = instant(range, "items[1].to");
        assertThat(lapsed).as("bob's interval ends when the redeploy without him succeeded").isAfter(expires).isBefore(after);
        assertThat(range.getList("items.ended")).containsExactly("deployed", "deployed", null);
        assertThat(instant(range, "items[2].from")).isEqualTo(lapsed);
        assertThat(history("at=" + during + "&key=bob").getInt("total")).as("the past stays as it was").isEqualTo(1);

        // The pages: alice logs in to web-01 since the first block, through the blocks that added and removed bob;
        // the platform's timeline lists the three blocks newest first, with the Git revision and the expiry behind them.
        String key = given().cookie("testum_access", Auth.adminToken()).get("/keys/alice").then().statusCode(200).extract()
                .asString();
        java.util.regex.Matcher since = java.util.regex.Pattern.compile("href=\"/platforms/web-01\">web-01</a>.*?data-since=\"([^\"]*)\"",
                java.util.regex.Pattern.DOTALL).matcher(key);
        assertThat(since.find()).as("web-01 among the places alice logs in now").isTrue();
        assertThat(Instant.parse(since.group(1))).isEqualTo(instant(range, "items[0].from"));
        String platform = given().cookie("testum_access", Auth.adminToken()).get("/platforms/web-01").then().statusCode(200)
                .extract().asString();
        String timeline = platform.substring(platform.indexOf("data-account=\"" + user + "\""));
        assertThat(java.util.regex.Pattern.compile("data-observed=\"managed\"").matcher(timeline).results().count()).isEqualTo(3);
        assertThat(timeline).contains("grants expired: temp", "ops at " + revision.substring(0, 12), "in force");

        String csv = given().get("/api/access-history/export?format=csv&fingerprint=" + fingerprint(bob)).then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/csv")).extract().asString();
        assertThat(csv).startsWith(AccessHistoryResource.CSV_HEADER);
        assertThat(csv.lines().toList()).as("a row for each key of bob's interval").hasSize(4);
        assertThat(csv.lines().filter(l -> l.contains(fingerprint(bob))).toList()).singleElement().asString()
                .startsWith("web-01," + user + ",managed,bob," + fingerprint(bob) + ",")
                .contains(",deployed,ops," + revision + ",ops@" + revision);
        JsonPath json = JsonPath.from(given().get("/api/access-history/export?format=json&platform=web-01").then()
                .statusCode(200).extract().asString());
        assertThat(json.getList("observed")).containsExactlyInAnyOrder("managed", "managed", "managed", "unmanaged");
        assertThat(json.getList("last_seen_at")).doesNotContainNull();
    }

    @Test
    void aFailedOrUnreachableDeploymentStartsNoInterval() throws Exception {
        SshFleet.Host linked = fleet.host(1);
        linked.login().run("mv .ssh/authorized_keys .ssh/real && ln -s real .ssh/authorized_keys");
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        push(document(2, "  - name: gone-01\n    host: 127.0.0.1\n    port: " + closed + "\n    username: deploy\n"
                + "    auth_method: key\n    credential: deployer\n    labels: {role: web}\n", "", ""), true);

        given().get("/api/platforms/web-02/authorized-keys").then().body("deployments[0].status", equalTo("failed"));
        given().get("/api/platforms/gone-01/authorized-keys").then().body("deployments[0].status", equalTo("unreachable"));
        assertThat(history("platform=web-02").getInt("total")).as("a refused symlink starts nothing").isZero();
        assertThat(history("platform=gone-01").getInt("total")).as("an unreachable host starts nothing").isZero();
        assertThat(history("platform=web-01").getInt("total")).isEqualTo(2);

        linked.login().run("rm .ssh/authorized_keys && mv .ssh/real .ssh/authorized_keys");
        Instant fixed = Instant.now();
        given().post("/api/platforms/web-02/deploy-keys").then().statusCode(200).body("deployments[0].status", equalTo("in_sync"));
        JsonPath after = history("platform=web-02&observed=managed");
        assertThat(after.getInt("total")).isEqualTo(1);
        assertThat(instant(after, "items[0].from")).as("the interval starts with the deployment that succeeded").isAfter(fixed);
    }

    @Test
    void driftFoundOnAHostIsRecordedAsWhatWasFoundThere() {
        String revision = push(document(2, "", "", ""), true);
        SshFleet.Host host = fleet.host(0);
        Instant start = Instant.now();
        host.writeAuthorizedKeys(host.authorizedKeysText().replace(KeyGen.publicLine(alice), KeyGen.publicLine(carol)));

        deployments.periodic();

        assertThat(host.authorizedKeysText()).as("repaired").contains(KeyGen.publicLine(alice)).doesNotContain(KeyGen.publicLine(carol));
        JsonPath repaired = history("platform=web-01&observed=managed,drift&from=" + start);
        assertThat(repaired.getList("items.observed")).containsExactly("managed", "drift", "managed");
        assertThat(repaired.getList("items.ended")).containsExactly("changed_on_host", "deployed", null);
        assertThat(repaired.getList("items[1].keys.fingerprint")).contains(fingerprint(carol)).doesNotContain(fingerprint(alice));
        assertThat(repaired.getList("items[1].keys.name")).contains("testum:deployer").containsNull();
        assertThat(repaired.getString("items[1].source")).isNull();
        assertThat(repaired.getString("items[2].revision")).isEqualTo(revision);
        Instant found = instant(repaired, "items[1].from");
        assertThat(instant(repaired, "items[0].to")).isEqualTo(found);
        JsonPath atDrift = history("at=" + found + "&fingerprint=" + fingerprint(carol));
        assertThat(atDrift.getList("items.observed")).containsExactly("drift");
        JsonPath untouched = history("platform=web-02&observed=managed");
        assertThat(untouched.getInt("total")).as("a check that finds the block in place only sees it again").isEqualTo(1);
        assertThat(instant(untouched, "items[0].last_seen_at")).isAfter(instant(untouched, "items[0].from"));

        // drift: report leaves the host alone: the drift stays in force until the block is back.
        push(document(2, "", "", "settings:\n  drift: report\n"), false);
        host.writeAuthorizedKeys(host.authorizedKeysText().replace(KeyGen.publicLine(alice), KeyGen.publicLine(carol)));
        deployments.periodic();
        JsonPath reported = history("at=" + Instant.now() + "&platform=web-01&observed=managed,drift");
        assertThat(reported.getList("items.observed")).containsExactly("drift");
        assertThat(host.authorizedKeysText()).contains(KeyGen.publicLine(carol));
        host.writeAuthorizedKeys(host.authorizedKeysText().replace(KeyGen.publicLine(carol), KeyGen.publicLine(alice)));
        deployments.periodic();
        JsonPath back = history("platform=web-01&observed=managed,drift&from=" + instant(reported, "items[0].from"));
        assertThat(back.getList("items.observed")).containsExactly("drift", "managed");
        assertThat(back.getList("items.ended")).containsExactly("changed_on_host", null);
    }

    @Test
    void keysOutsideTheBlockHaveIntervalsAndADeletedPlatformsHistoryStaysEnded() {
        push(document(2, "", "", ""), true);
        SshFleet.Host host = fleet.host(1);
        String original = host.authorizedKeysText();
        host.writeAuthorizedKeys(original + KeyGen.publicLine(dave) + "\n");
        deployments.periodic();

        JsonPath seen = history("at=" + Instant.now() + "&fingerprint=" + fingerprint(dave));
        assertThat(seen.getInt("total")).isEqualTo(1);
        assertThat(seen.getString("items[0].observed")).isEqualTo("unmanaged");
        assertThat(seen.getString("items[0].platform")).isEqualTo("web-02");
        assertThat(seen.getList("items[0].keys.name")).containsExactly((Object) null);
        String firstSeen = given().get("/api/unmanaged-keys?fingerprint=" + fingerprint(dave)).then()
                .extract().path("items[0].first_seen_at");
        assertThat(instant(seen, "items[0].from")).isEqualTo(Instant.parse(firstSeen));
        JsonPath own = history("at=" + Instant.now() + "&platform=web-02&observed=unmanaged&key=testum:deployer");
        assertThat(own.getInt("total")).as("testum's own key outside the block, found by its credential's name").isEqualTo(1);
        assertThat(own.getString("items[0].keys[0].name")).isEqualTo("testum:deployer");

        host.writeAuthorizedKeys(original);
        Instant removed = Instant.now();
        deployments.periodic();
        assertThat(history("at=" + Instant.now() + "&fingerprint=" + fingerprint(dave)).getInt("total")).isZero();
        JsonPath gone = history("fingerprint=" + fingerprint(dave));
        assertThat(gone.getString("items[0].ended")).isEqualTo("removed_from_host");
        assertThat(instant(gone, "items[0].to")).isAfter(removed);

        Instant beforeDeletion = Instant.now();
        push(document(1, "", "", ""), false);
        JsonPath deleted = history("platform=web-02");
        assertThat(deleted.getInt("total")).isEqualTo(3);
        assertThat(deleted.getList("items.to")).doesNotContainNull();
        assertThat(deleted.getList("items.ended")).containsOnly("removed_from_host", "platform_deleted");
        assertThat(history("at=" + Instant.now() + "&platform=web-02").getInt("total")).isZero();
        assertThat(history("at=" + beforeDeletion + "&platform=web-02").getInt("total")).as("the past stays").isEqualTo(2);
    }

    @Test
    void aBlockChangedThroughTheApiNamesWhoChangedItAndTheCall() {
        push(document(1, "", "", ""), true);
        post("/api/keys", Map.of("name", "carol", "public_key", KeyGen.publicLine(carol))).statusCode(201);
        post("/api/access", Map.of("name", "extra", "keys", List.of("carol"), "platforms", List.of("web-01"))).statusCode(201);
        await("carol's key on web-01").atMost(WAIT).until(() -> !deployments.busy()
                && fleet.host(0).authorizedKeysText().contains(KeyGen.publicLine(carol)));

        JsonPath now = history("at=" + Instant.now() + "&key=carol");
        assertThat(now.getInt("total")).isEqualTo(1);
        assertThat(now.getString("items[0].source")).isEqualTo("api");
        assertThat(now.getString("items[0].revision")).isNull();
        assertThat(now.getString("items[0].changes[0].actor")).isEqualTo(Auth.ADMIN);
        assertThat(now.getString("items[0].changes[0].request")).isEqualTo("POST /api/access");
    }

    @Test
    void anExportLongerThanOneBatchHasEveryIntervalOnceInOrder() {
        String fingerprint = "SHA256:" + "E".repeat(43);
        int perPlatform = 700;
        TestDatabase.rows("WITH opened AS (INSERT INTO access_intervals (platform_id, platform, account, observed, content_id, "
                + "valid_from, valid_to, last_seen_at, ended) SELECT p, 'old-0' || p, 'deploy', 'managed', md5(p || '-' || j), "
                + "now() - (" + perPlatform + " - j) * interval '1 hour', now() - (" + perPlatform + " - j - 1) * interval '1 hour', "
                + "now(), 'deployed' FROM generate_series(1, 3) p, generate_series(0, " + (perPlatform - 1) + ") j "
                + "RETURNING id, platform, account, valid_from, valid_to) "
                + "INSERT INTO access_interval_keys (interval_id, fingerprint, name, platform, account, observed, valid_from, valid_to) "
                + "SELECT id, '" + fingerprint + "', 'old', platform, account, 'managed', valid_from, valid_to FROM opened "
                + "RETURNING interval_id");
        int all = 3 * perPlatform;
        assertThat(all).isGreaterThan(2 * AccessHistoryRepository.EXPORT_BATCH);

        JsonPath json = JsonPath.from(given().get("/api/access-history/export?format=json").then().statusCode(200)
                .extract().asString());
        List<String> platforms = json.getList("platform");
        List<String> starts = json.getList("from");
        assertThat(platforms).hasSize(all);
        for (int i = 1; i < all; i++) {
            int order = platforms.get(i - 1).compareTo(platforms.get(i));
            assertThat(order < 0 || order == 0 && Instant.parse(starts.get(i - 1)).isBefore(Instant.parse(starts.get(i))))
                    .as("row %d follows row %d", i, i - 1).isTrue();
        }
        String csv = given().get("/api/access-history/export?format=csv&fingerprint=" + fingerprint).then().statusCode(200)
                .extract().asString();
        assertThat(csv.lines().skip(1).distinct().count()).isEqualTo(all);
        assertThat(history("fingerprint=" + fingerprint + "&size=10&page=3").getInt("total")).isEqualTo(all);
    }

    @Test
    void badTimesAndRangesAreRefusedNamingTheField() {
        Map<String, String> refused = Map.of(
                "at=yesterday", "at",
                "from=2026-01-01", "from",
                "at=2026-01-01T00:00:00Z&from=2025-01-01T00:00:00Z", "at",
                "from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to",
                "fingerprint=MD5:aa", "fingerprint",
                "observed=maybe", "observed",
                "user=a&account=b", "account",
                "size=0", "size");
        refused.forEach((query, field) -> given().get("/api/access-history?" + query).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo(field)));
        given().get("/api/access-history/export?format=xml").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("format"));
        given().queryParam("at", "2026-01-01T01:00:00+01:00").get("/api/access-history").then().statusCode(200)
                .body("total", equalTo(0));
    }
}

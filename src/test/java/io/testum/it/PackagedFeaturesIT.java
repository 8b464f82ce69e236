package io.testum.it;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.testum.testing.Auth;
import io.testum.testing.GitDaemon;
import io.testum.testing.GitDaemonResource;
import io.testum.testing.GitRepo;
import io.testum.testing.KeyGen;
import io.testum.testing.PostgresResource;
import io.testum.testing.Sockets;
import io.testum.testing.SshFleet;
import io.testum.testing.WithSshFleet;
import io.vertx.core.json.JsonObject;

/**
 * What a native executable tends to lose and the JVM tests cannot see: templates, WebSocket and
 * server-sent events, the Kubernetes client, Git over its own protocol and over SSH, key
 * cryptography and YAML backups, each through the packaged service (the jar, or the native
 * executable when built with {@code -Dquarkus.native.enabled=true}) on real sshd hosts.
 */
@QuarkusIntegrationTest
@WithTestResource(PostgresResource.class)
@WithSshFleet(hosts = 2)
@WithTestResource(GitDaemonResource.class)
@WithTestResource(PackagedServiceIT.Settings.class)
@WithKubernetesTestServer(crud = true)
class PackagedFeaturesIT {

    private SshFleet fleet;
    private GitDaemon daemon;

    @KubernetesTestServer
    KubernetesServer kubernetes;

    @TempDir
    Path tmp;

    @BeforeEach
    void signIn() {
        Auth.as(Auth.login("admin", PackagedServiceIT.ADMIN_PASSWORD));
    }

    @Test
    void rendersTheLoginPageAndTheDashboardThroughQuteInEnglishAndRussian() {
        Auth.anonymous();
        given().redirects().follow(false).get("/login").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("name=\"password\""));
        given().redirects().follow(false).header("Accept-Language", "ru").get("/login").then().statusCode(200)
                .body(containsString("lang=\"ru\"")).body(containsString("Пароль"));
        String token = given().contentType("application/json")
                .body(Map.of("username", "admin", "password", PackagedServiceIT.ADMIN_PASSWORD)).post("/api/auth/login")
                .then().statusCode(200).extract().cookie("testum_access");
        given().redirects().follow(false).cookie("testum_access", token).get("/").then().statusCode(200)
                .contentType(containsString("text/html")).body(containsString("admin"))
                .body(containsString("/static/testum.css"));
        given().get("/static/testum.js").then().statusCode(200);
    }

    @Test
    void streamsARunsLiveOutputOverWebSocketAndServerSentEvents() throws Exception {
        String credential = "runner-" + System.nanoTime();
        platformOn(fleet.host(0), "stream-host", credential);
        String id = post("/api/runs", Map.of("command", "for i in 1 2 3; do echo line$i; sleep 0.3; done; echo fin >&2",
                "targets", Map.of("platforms", List.of("stream-host")))).statusCode(202).extract().path("id");

        CompletableFuture<List<JsonObject>> socket = CompletableFuture.supplyAsync(() -> websocket("/ws/runs/" + id));
        List<JsonObject> events = serverSentEvents("/api/runs/" + id + "/events");
        List<JsonObject> messages = socket.get(60, TimeUnit.SECONDS);

        for (List<JsonObject> stream : List.of(events, messages)) {
            String stdout = stream.stream().filter(m -> "output".equals(m.getString("type")) && "stdout".equals(m.getString("stream")))
                    .map(m -> m.getString("data")).reduce("", String::concat);
            assertThat(stdout).isEqualTo("line1\nline2\nline3\n");
            assertThat(stream).anyMatch(m -> "output".equals(m.getString("type")) && "stderr".equals(m.getString("stream"))
                    && "fin\n".equals(m.getString("data")));
            assertThat(stream.get(stream.size() - 1).getMap()).isEqualTo(Map.of("type", "run_done", "status", "succeeded"));
        }
    }

    @Test
    void logsInWithAPrivateKeyFromAKubernetesSecretNamedByARestoredCredential() throws Exception {
        Path key = KeyGen.generate(tmp, "ed25519", 0, null, null, "from-kubernetes");
        authorize(fleet.host(1), KeyGen.publicLine(key));
        kubernetes.getClient().secrets().inNamespace(kubernetes.getClient().getNamespace()).resource(new SecretBuilder()
                .withNewMetadata().withName("testum-k8s-key").endMetadata().withType("kubernetes.io/ssh-auth")
                .addToStringData("ssh-privatekey", Files.readString(key)).build()).create();
        SshFleet.Host host = fleet.host(1);
        String backup = "credentials:\n  - name: from-secret\n    secret_ref: testum-k8s-key\n"
                + "platforms:\n  - name: k8s-host\n    host: 127.0.0.1\n    port: " + host.port() + "\n    username: " + host.user()
                + "\n    auth_method: key\n    credential: from-secret\n";
        given().contentType("application/yaml").body(backup.getBytes(StandardCharsets.UTF_8)).post("/api/backup/import").then().statusCode(200)
                .body("applied", equalTo(true));

        given().post("/api/platforms/k8s-host/test-ssh").then().statusCode(200)
                .body("authenticated", equalTo(true)).body("error", equalTo(null));
    }

    @Test
    void syncsSourcesOverTheGitProtocolAndOverSsh() throws Exception {
        Path work = Files.createTempDirectory(tmp, "git");
        GitRepo repo = GitRepo.init(work.resolve("ops"));
        String daemonRevision = repo.commit("testum.yaml", keyDocument("daemon-key"), "over git://");
        post("/api/gitops/sources", Map.of("name", "daemon", "url", daemon.serve("ops", repo), "interval", "1h"))
                .statusCode(201);
        given().post("/api/gitops/sources/daemon/sync?wait=true").then().statusCode(200)
                .body("result", equalTo("applied")).body("revision", equalTo(daemonRevision));

        SshFleet.Host host = fleet.host(0);
        String reader = post("/api/credentials/generate", Map.of("name", "git-reader", "type", "ed25519")).statusCode(201)
                .extract().path("public_key");
        authorize(host, reader);
        Path bare = host.home().resolve("ops.git");
        GitRepo.git("clone", "-q", "--bare", repo.dir().toString(), bare.toString());
        String sshRevision = commitAndPush(repo, bare, keyDocument("ssh-key"));
        new ProcessBuilder("chown", "-R", host.user(), bare.toString()).start().waitFor(30, TimeUnit.SECONDS);
        post("/api/gitops/sources", Map.of("name", "over-ssh", "url", "ssh://" + host.user() + "@127.0.0.1:" + host.port() + bare,
                "credential", "git-reader", "interval", "1h")).statusCode(201);
        given().post("/api/gitops/sources/over-ssh/sync?wait=true").then().statusCode(200)
                .body("result", equalTo("applied")).body("revision", equalTo(sshRevision));
        given().get("/api/keys/ssh-key").then().statusCode(200).body("type", equalTo("ssh-ed25519"));
    }

    @Test
    void generatesAndImportsRsaAndEd25519KeysAsSshKeygenSeesThem() throws Exception {
        for (String type : List.of("ed25519", "rsa")) {
            Response generated = post("/api/credentials/generate", Map.of("name", "made-" + type, "type", type)).statusCode(201)
                    .extract().response();
            Path file = tmp.resolve("made-" + type + ".pub");
            Files.writeString(file, generated.path("public_key") + "\n");
            assertThat(KeyGen.fingerprintLine(file)).contains((String) generated.path("fingerprint"));
        }
        for (String[] kind : new String[][] {{"ed25519", "0", null}, {"rsa", "3072", "PEM"}, {"rsa", "2048", null}}) {
            String passphrase = "rsa".equals(kind[0]) && kind[2] == null ? "a-passphrase" : null;
            Path key = KeyGen.generate(tmp, kind[0], Integer.parseInt(kind[1]), passphrase, kind[2], "imported");
            String name = "imported-" + kind[0] + "-" + kind[1];
            Map<String, Object> body = new java.util.HashMap<>(Map.of("name", name, "private_key", Files.readString(key)));
            if (passphrase != null) {
                body.put("passphrase", passphrase);
            }
            Response imported = post("/api/credentials/import", body).statusCode(201).extract().response();
            assertThat(KeyGen.withoutComment(imported.path("public_key"))).isEqualTo(KeyGen.withoutComment(KeyGen.publicLine(key)));
            assertThat(KeyGen.fingerprintLine(Path.of(key + ".pub"))).contains((String) imported.path("fingerprint"));

            String keyName = "public-" + kind[0] + "-" + kind[1];
            Response added = post("/api/keys", Map.of("name", keyName, "public_key", KeyGen.publicLine(key))).statusCode(201)
                    .extract().response();
            assertThat(KeyGen.fingerprintLine(Path.of(key + ".pub"))).contains((String) added.path("fingerprint"));
        }
    }

    @Test
    void exportsABackupThatImportsBackUnchanged() {
        post("/api/keys", Map.of("name", "backed-up", "public_key", KeyGen.publicLine(KeyGen.generate(tmp, "ed25519", 0, null,
                null, "backed-up")))).statusCode(201);
        String exported = given().get("/api/backup/export").then().statusCode(200).contentType(containsString("yaml"))
                .extract().asString();
        assertThat(exported).contains("name: backed-up");

        given().contentType("application/yaml").body(exported.getBytes(StandardCharsets.UTF_8)).post("/api/backup/import?dry_run=true").then().statusCode(200)
                .body("dry_run", equalTo(true)).body("plan.ssh_key.created", equalTo(List.of()))
                .body("plan.ssh_key.updated", equalTo(List.of()))
                .body("plan.ssh_key.unchanged", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
        given().multiPart("file", "testum-backup.yaml", exported.getBytes(StandardCharsets.UTF_8), "application/yaml")
                .post("/api/backup/import").then().statusCode(200).body("plan.ssh_key.updated", equalTo(List.of()));
    }

    /** A platform on {@code host} that logs in with a new credential of its own. */
    private static void platformOn(SshFleet.Host host, String name, String credential) throws Exception {
        String publicKey = post("/api/credentials/generate", Map.of("name", credential, "type", "ed25519")).statusCode(201)
                .extract().path("public_key");
        authorize(host, publicKey);
        post("/api/platforms", Map.of("name", name, "host", host.address(), "port", host.port(), "username", host.user(),
                "auth_method", "key", "credential", credential)).statusCode(201);
    }

    /** Adds {@code publicKey} to the host account's authorized_keys, keeping what other tests put there. */
    private static void authorize(SshFleet.Host host, String publicKey) {
        String existing = Files.exists(host.authorizedKeys()) ? host.authorizedKeysText() : "";
        host.writeAuthorizedKeys(existing + publicKey + "\n");
    }

    private String keyDocument(String keyName) {
        return "ssh_keys:\n  - name: " + keyName + "\n    public_key: \""
                + KeyGen.publicLine(KeyGen.generate(tmp, "ed25519", 0, null, null, keyName)) + "\"\n";
    }

    private static String commitAndPush(GitRepo repo, Path bare, String document) {
        String revision = repo.commit("testum.yaml", document, "over ssh://");
        GitRepo.git("-C", repo.dir().toString(), "push", "-q", bare.toString(), "HEAD:main");
        return revision;
    }

    private static URI uri(String scheme, String path) {
        return URI.create(scheme + "://localhost:" + RestAssured.port + path);
    }

    private static String bearer() {
        return "Bearer " + Auth.login("admin", PackagedServiceIT.ADMIN_PASSWORD);
    }

    private static List<JsonObject> serverSentEvents(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri("http", path)).header("Authorization", bearer())
                .header("Accept", "text/event-stream").build();
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        try (Stream<String> lines = response.body()) {
            return lines.filter(l -> l.startsWith("data:")).map(l -> new JsonObject(l.substring(5).strip())).toList();
        }
    }

    private static List<JsonObject> websocket(String path) {
        try {
            return Sockets.messages(uri("http", "/"), path, Auth.login("admin", PackagedServiceIT.ADMIN_PASSWORD));
        } catch (Exception e) {
            throw new AssertionError("the WebSocket " + path + " failed: " + e, e);
        }
    }

}

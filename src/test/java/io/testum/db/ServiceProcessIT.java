package io.testum.db;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.restassured.path.json.JsonPath;
import io.testum.testing.KeyGen;
import io.testum.testing.SshFleet;

/**
 * The packaged service started the way an operator starts it, with its embedded database: restarts
 * keep data, a stop leaves no process behind, a second process on the same data directory gives up
 * at once, a wrong master key stops startup, and a normal user can run it. It starts what the build
 * made, as {@code target/quarkus-artifact.properties} says: the jar ({@code target/quarkus-app}), or
 * the native executable after a native build.
 */
class ServiceProcessIT {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : started) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /**
     * A restart keeps the data, and what testum saw on a real sshd host before it (the access
     * history, the keys outside the block): the first read after the restart continues the
     * intervals in force instead of starting them again.
     */
    @Test
    void keepsDataAccessHistoryAndUnmanagedKeysAcrossRestartsAndRefusesASecondProcessOnTheSameDataDir() throws Exception {
        Path dataDir = tmp.resolve("data");
        Path alice = KeyGen.generate(tmp, "ed25519", 0, null, null, "alice@laptop");
        Path dave = KeyGen.generate(tmp, "ed25519", 0, null, null, "dave@by-hand");
        try (SshFleet fleet = SshFleet.start(1)) {
            SshFleet.Host host = fleet.host(0);
            Service first = start(dataDir, Map.of("TESTUM_ADMIN_PASSWORD", ADMIN_PASSWORD), List.of());
            first.awaitReady();
            first.signIn(ADMIN_PASSWORD);
            String testumKey = JsonPath.from(first.send("POST", "/api/credentials/generate", "{\"name\":\"deployer\"}"))
                    .getString("public_key");
            assertEquals(201, first.post("/api/platforms", "{\"name\":\"web-01\",\"host\":\"192.0.2.10\",\"username\":\"deploy\","
                    + "\"auth_method\":\"key\",\"credential\":\"deployer\"}"));
            assertTrue(first.output().contains("Embedded PostgreSQL listens on 127.0.0.1:"), "the log says where the database is");
            assertTrue(first.output().contains(dataDir.resolve("pg").toString()), first.output());

            host.writeAuthorizedKeys(testumKey + "\n" + KeyGen.publicLine(dave) + "\n");
            first.send("POST", "/api/keys", "{\"name\":\"alice\",\"public_key\":\"" + KeyGen.publicLine(alice) + "\"}");
            first.send("POST", "/api/platforms", "{\"name\":\"ssh-01\",\"host\":\"127.0.0.1\",\"port\":" + host.port()
                    + ",\"username\":\"" + host.user() + "\",\"auth_method\":\"key\",\"credential\":\"deployer\"}");
            first.send("POST", "/api/access", "{\"name\":\"admins\",\"keys\":[\"alice\"],\"platforms\":[\"ssh-01\"]}");
            assertEquals("in_sync", JsonPath.from(first.send("POST", "/api/platforms/ssh-01/deploy-keys", ""))
                    .getString("deployments[0].status"));
            String history = first.send("GET", "/api/access-history?platform=ssh-01", null);
            String unmanaged = first.send("GET", "/api/unmanaged-keys?platform=ssh-01", null);
            String inForce = "/api/access-history?platform=ssh-01&observed=managed&at=";
            JsonPath block = JsonPath.from(first.send("GET", inForce + Instant.now(), null));
            assertEquals(List.of(List.of("alice", "testum:deployer")), block.getList("items.keys.name"));
            assertEquals(2, JsonPath.from(history).getList("items.observed").stream().filter("unmanaged"::equals).count());
            assertEquals(2, JsonPath.from(unmanaged).getInt("total"));

            Service second = start(dataDir, Map.of(), List.of());
            assertTrue(second.process.waitFor(60, TimeUnit.SECONDS), "the second process gives up at once");
            assertNotEquals(0, second.process.exitValue());
            assertTrue(second.output().contains("testum cannot start: The data directory " + dataDir.toAbsolutePath()
                    + " is in use by another testum process (pid " + first.process.pid()), second.output());
            assertEquals(200, first.get("/api/platforms/web-01"), "the first keeps serving");

            List<ProcessHandle> postgres = first.process.descendants().toList();
            assertTrue(!postgres.isEmpty(), "the embedded PostgreSQL runs as a child of testum");
            first.stop();
            for (ProcessHandle child : postgres) {
                assertTrue(child.onExit().get(30, TimeUnit.SECONDS) != null && !child.isAlive(),
                        "PostgreSQL pid " + child.pid() + " stopped with testum");
            }
            Service again = start(dataDir, Map.of(), List.of());
            again.awaitReady();
            again.signIn(ADMIN_PASSWORD);
            assertEquals(200, again.get("/api/platforms/web-01"), "the platform survived the restart");
            // A drift check may already have read the host again: it only moves last_seen_at on.
            assertEquals(withoutLastSeen(history), withoutLastSeen(again.send("GET", "/api/access-history?platform=ssh-01", null)),
                    "the access history survived the restart");
            assertEquals(withoutLastSeen(unmanaged), withoutLastSeen(again.send("GET", "/api/unmanaged-keys?platform=ssh-01", null)),
                    "so did the keys outside the block");
            assertEquals("in_sync", JsonPath.from(again.send("POST", "/api/platforms/ssh-01/deploy-keys", ""))
                    .getString("deployments[0].status"));
            assertEquals(withoutLastSeen(history), withoutLastSeen(again.send("GET", "/api/access-history?platform=ssh-01", null)),
                    "a read after the restart continues the intervals in force");
            JsonPath seen = JsonPath.from(again.send("GET", inForce + Instant.now(), null));
            assertEquals(block.getString("items[0].from"), seen.getString("items[0].from"));
            assertTrue(Instant.parse(seen.getString("items[0].last_seen_at"))
                    .isAfter(Instant.parse(block.getString("items[0].last_seen_at"))), "and sees them again");
            again.stop();
        }
    }

    private static String withoutLastSeen(String json) {
        return json.replaceAll("\"last_seen_at\":\"[^\"]+\"", "");
    }

    @Test
    void refusesToStartWithAnotherMasterKey() throws Exception {
        Path dataDir = tmp.resolve("data");
        Service first = start(dataDir, Map.of("TESTUM_ADMIN_PASSWORD", ADMIN_PASSWORD), List.of());
        first.awaitReady();
        first.signIn(ADMIN_PASSWORD);
        assertEquals(201, first.post("/api/credentials/import", "{\"name\":\"legacy\",\"password\":\"hunter2-hunter2\"}"));
        first.stop();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("master.key"))));

        byte[] other = new byte[32];
        other[0] = 1;
        Service wrong = start(dataDir, Map.of("TESTUM_MASTER_KEY", Base64.getEncoder().encodeToString(other)), List.of());
        assertTrue(wrong.process.waitFor(120, TimeUnit.SECONDS), "startup stops instead of looping");
        assertNotEquals(0, wrong.process.exitValue());
        assertTrue(wrong.output().contains("is not the key that encrypted the secrets in this database"), wrong.output());
        assertTrue(!wrong.output().contains("hunter2"), "no secret in the log");
    }

    @Test
    void runsAsANormalUser() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "started as a normal user already");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runuser")), "runuser is there to switch users");
        Path app = tmp.resolve("app");
        if (nativeExecutable().isPresent()) {
            Files.createDirectories(app);
            Files.copy(nativeExecutable().get(), app.resolve("testum"));
            Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(app.resolve("testum"), PosixFilePermissions.fromString("rwxr-xr-x"));
        } else {
            copyTree(appDir(), app);
        }
        Path dataDir = tmp.resolve("nobody-data");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(dataDir);
        new ProcessBuilder("chown", "-R", "nobody", dataDir.toString()).start().waitFor();
        Service service = start(app.resolve(nativeExecutable().isPresent() ? "testum" : "quarkus-run.jar"), dataDir, Map.of(),
                List.of("/usr/sbin/runuser", "-u", "nobody", "--"));
        service.awaitReady();
        Path passwordFile = dataDir.resolve("initial-admin-password");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
        String generated = Files.readString(passwordFile).strip();
        assertEquals(1, service.output().split(java.util.regex.Pattern.quote(generated), -1).length - 1,
                "the generated admin password is logged once");
        service.signIn(generated);
        assertEquals(201, service.post("/api/credentials/generate", "{\"name\":\"deployer\"}"));
        String owner = Files.getOwner(dataDir.resolve("pg/PG_VERSION")).getName();
        assertEquals("nobody", owner);
    }

    /** The native executable when the last build made one ({@code type=native} in quarkus-artifact.properties). */
    private static java.util.Optional<Path> nativeExecutable() {
        Path artifact = appDir().getParent().resolve("quarkus-artifact.properties");
        java.util.Properties properties = new java.util.Properties();
        try (var in = Files.newInputStream(artifact)) {
            properties.load(in);
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
        return "native".equals(properties.getProperty("type"))
                ? java.util.Optional.of(artifact.getParent().resolve(properties.getProperty("path")).toAbsolutePath())
                : java.util.Optional.empty();
    }

    private static Path appDir() {
        return Path.of(System.getProperty("testum.app.dir", "target/quarkus-app")).toAbsolutePath();
    }

    private Service start(Path dataDir, Map<String, String> env, List<String> prefix) throws IOException {
        return start(nativeExecutable().orElse(appDir().resolve("quarkus-run.jar")), dataDir, env, prefix);
    }

    private Service start(Path jar, Path dataDir, Map<String, String> env, List<String> prefix) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile(tmp, "service", ".log");
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-rw-rw-"));
        List<String> command = new ArrayList<>(prefix);
        if (jar.toString().endsWith(".jar")) {
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1", "-jar", jar.toString()));
        } else {
            command.addAll(List.of(jar.toString(), "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1"));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("TESTUM_DATA_DIR", dataDir.toString());
        builder.environment().remove("TESTUM_MASTER_KEY");
        builder.environment().putAll(env);
        builder.directory(tmp.toFile());
        Service service = new Service(builder.start(), port, log);
        started.add(service.process);
        return service;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(p, target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }

    private static final String ADMIN_PASSWORD = "process-test-admin-password";

    private record Service(Process process, int port, Path log, String[] token) {

        Service(Process process, int port, Path log) {
            this(process, port, log, new String[1]);
        }

        /** Logs in as the first admin; later calls carry the token. */
        void signIn(String password) throws Exception {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/auth/login")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + password + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            var matcher = java.util.regex.Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(response.body());
            assertTrue(matcher.find(), response.body());
            token[0] = matcher.group(1);
        }

        private HttpRequest.Builder request(String path) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
            return token[0] == null ? builder : builder.header("Authorization", "Bearer " + token[0]);
        }

        String output() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        void awaitReady() throws Exception {
            try {
                await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(250)).ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("testum exited with " + process.exitValue() + ":\n" + output());
                    }
                    return get("/api/health") == 200;
                });
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("testum was not ready within " + READY_TIMEOUT + ":\n" + output(), e);
            }
        }

        int get(String path) throws Exception {
            return HTTP.send(request(path).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }

        /** Sends a JSON request (no body when {@code json} is null), expects a 2xx status, and returns the body. */
        String send(String method, String path, String json) throws Exception {
            HttpRequest.Builder builder = request(path).header("Accept", "application/json");
            if (json != null) {
                builder.header("Content-Type", "application/json");
            }
            HttpResponse<String> response = HTTP.send(builder.method(method, json == null
                    ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(response.statusCode() / 100 == 2, method + " " + path + ": " + response.statusCode() + " " + response.body());
            return response.body();
        }

        int post(String path, String json) throws Exception {
            return HTTP.send(request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }

        void stop() throws InterruptedException {
            process.destroy();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "testum stops on SIGTERM");
        }
    }
}

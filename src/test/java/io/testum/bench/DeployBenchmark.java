package io.testum.bench;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.testum.deploy.FileTransport;
import io.quarkus.arc.Arc;
import io.testum.ssh.KeepAliveSwitch;
import io.testum.ssh.RemoteFiles;
import io.testum.ssh.SshConnector;
import io.testum.ssh.SftpFiles;
import io.testum.ssh.SshConnection;
import io.testum.testing.Auth;
import io.testum.testing.Fixtures;
import io.testum.testing.GitRepo;
import io.testum.testing.KeyGen;
import io.testum.testing.PostgresResource;
import io.testum.testing.SshFleet;
import io.testum.testing.TestDatabase;

/**
 * Deploying a changed block to N real sshd hosts four ways in one run: testum through the
 * host's shell with {@code testum.ssh.keep-alive} on (how it deploys: the write goes over the
 * connection the last deployment's proof login left open) and off (a new login for every write),
 * testum through the SFTP subsystem (how it deployed before), and
 * the stock OpenSSH client ({@code xargs -P 50} over {@code ssh host 'cat > tmp && mv tmp
 * authorized_keys'}), all at 50 parallel connections; then a signed GitOps webhook until 100 hosts
 * are {@code in_sync}, keep-alive off and on, against OpenSSH writing the same 100 files. Keep-alive
 * is switched in the running service; after it was off, one untimed deployment leaves the proof
 * logins open before the timed one with it on. testum's times run from the
 * API call (or the webhook) until every deployment holds the new block, testum's fresh login
 * after each write included, and are taken with one fleet-wide request per look
 * ({@code GET /api/deployments}). Before the timings, one host behind a counting relay (and with
 * sshd's debug log) gives what each way costs per host: SSH connections, channels, round trips.
 * <p>
 * Run: {@code ./mvnw verify -Pbenchmark -Dtest=DeployBenchmark -Dbench.hosts=50,200 -Dbench.rounds=3}
 * ({@code -Dbench.webhook-hosts=100}; {@code -Dbench.kex=curve25519-sha256} sets
 * {@code testum.ssh.kex-algorithms}; {@code -Dbench.openssh-options="-o KexAlgorithms=curve25519-sha256"}
 * gives the OpenSSH client options, e.g. the key exchange testum agrees on with these hosts). The figures go to the console and to
 * {@code target/benchmarks/deploy.md}.
 */
@QuarkusTest
@TestProfile(DeployBenchmark.Profile.class)
@WithTestResource(PostgresResource.class)
class DeployBenchmark {

    public static final class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // A shared 2-core machine with 200 sshd processes can take longer than the default 10 s
            // for a key exchange; that is slowness to measure, not an unreachable host.
            // The run takes longer than an access token lives.
            Map<String, String> config = new java.util.HashMap<>(Map.of("testum.ssh.max-concurrency", "50",
                    "testum.ssh.connect-timeout", "60s", "testum.auth.access-token-lifetime", "4h",
                    "quarkus.log.category.\"io.testum.deploy\".level", "WARN"));
            String kex = System.getProperty("bench.kex", "");
            if (!kex.isBlank()) {
                config.put("testum.ssh.kex-algorithms", kex);
            }
            return config;
        }
    }

    /** The ways testum reaches the files. */
    enum Way {
        SHELL("testum, shell, keep-alive off (a new login to read and write, then the fresh proof login)", false),
        SFTP("testum, SFTP subsystem, keep-alive off (the earlier way, kept in the tests)", false),
        KEPT("testum, shell, keep-alive on (read and write over the last proof login, then the fresh proof login)", true);

        final String label;
        final boolean keepAlive;

        Way(String label, boolean keepAlive) {
            this.label = label;
            this.keepAlive = keepAlive;
        }

        /** The way last put to use. */
        static Way current = SHELL;

        void use() {
            current = this;
            QuarkusMock.installMockForType(this == SFTP ? new FileTransport() {
                @Override
                public RemoteFiles files(SshConnection connection) {
                    return SftpFiles.over(connection);
                }
            } : new FileTransport(), FileTransport.class);
            KeepAliveSwitch.set(Arc.container().instance(SshConnector.class).get(), keepAlive);
        }
    }

    /** The fleet-wide look taken while a deployment is timed (cheap: it shares the JVM with testum). */
    private static final FleetLook LOOK = new FleetLook();
    private final List<String> report = new ArrayList<>();
    /** CPU used by each timed step, testum's JVM apart from the rest of the machine. */
    private final List<String> cpuNotes = new ArrayList<>();
    private Path work;

    @Test
    void deployAChangedBlockThreeWaysAndAWebhook() throws Exception {
        List<Integer> sizes = Arrays.stream(System.getProperty("bench.hosts", "50,200").split(","))
                .map(String::strip).filter(h -> !h.isEmpty()).map(Integer::parseInt).toList();
        int rounds = Integer.parseInt(System.getProperty("bench.rounds", "3"));
        int webhookHosts = Integer.parseInt(System.getProperty("bench.webhook-hosts", "100"));
        int max = Math.max(webhookHosts, sizes.stream().mapToInt(Integer::intValue).max().orElse(1));
        work = Files.createTempDirectory("deploy-bench");
        report.add("testum's key exchanges: " + System.getProperty("bench.kex", "").transform(k -> k.isBlank()
                ? "testum's default (MINA's order without sntrup761x25519-sha512)" : k));
        report.add("OpenSSH client options: " + System.getProperty("bench.openssh-options", "").transform(o -> o.isBlank()
                ? "its defaults" : o));
        report.add("load before: " + uptime());
        try (SshFleet fleet = SshFleet.start(max)) {
            perHost(fleet.host(0));
            report.add("");
            report.add("| hosts | testum, shell, keep-alive on (s) | testum, shell, keep-alive off (s) | testum, SFTP (s) "
                    + "| OpenSSH xargs -P 50 (s) | on ÷ OpenSSH | off ÷ OpenSSH | SFTP ÷ OpenSSH |");
            report.add("| --- | --- | --- | --- | --- | --- | --- | --- |");
            for (int n : sizes) {
                timings(fleet.hosts().subList(0, n), rounds);
            }
            report.add("");
            webhook(fleet.hosts().subList(0, webhookHosts), rounds);
        }
        report.add("");
        report.add("CPU of each timed step (testum is this JVM; the sshd hosts count every process below them; the rest is the OpenSSH client, xargs and the kernel):");
        cpuNotes.forEach(c -> report.add("- " + c));
        report.add("");
        report.add("load after: " + uptime());
        Path out = Path.of("target", "benchmarks", "deploy.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, String.join("\n", report) + "\n");
        System.out.println(String.join("\n", report));
    }

    /** One host behind a counting relay, with sshd logging each channel: what one deployment of each way costs. */
    private void perHost(SshFleet.Host host) throws Exception {
        reset();
        String testumKey = credential("probe");
        host.writeAuthorizedKeys(testumKey + "\n");
        host.reconfigure("LogLevel DEBUG1");
        Path operator = KeyGen.generate(work, "ed25519", 0, null, null, "operator");
        Fixtures.key("operator", KeyGen.publicLine(operator));
        List<String> keys = new ArrayList<>(List.of("operator"));
        report.add("| way, per host | SSH connections | channels | round trips |");
        report.add("| --- | --- | --- | --- |");
        try (CountingRelay relay = new CountingRelay(host.port())) {
            post("/api/platforms", Map.of("name", "probe", "host", host.address(), "port", relay.port(),
                    "username", host.user(), "auth_method", "key", "credential", "probe")).statusCode(201);
            post("/api/access", Map.of("name", "fleet", "keys", keys, "platforms", List.of("probe"))).statusCode(201);
            awaitInSync(1, awaitNewBlock(null), 300);
            for (Way way : Way.values()) {
                way.use();
                if (way.keepAlive) {
                    change(keys, List.of("probe"), 1); // leaves the proof login open for the deployment counted
                }
                relay.reset();
                long channels = logged(host, "server_input_channel_open: ctype session");
                change(keys, List.of("probe"), 1);
                report.add(String.format(Locale.ROOT, "| %s | %d | %d | %d |", way.label, relay.connections(),
                        logged(host, "server_input_channel_open: ctype session") - channels, relay.roundTrips()));
            }
            Way.SHELL.use();
            relay.reset();
            long channels = logged(host, "server_input_channel_open: ctype session");
            openssh(List.of(host), List.of(relay.port()), operator, "probe");
            report.add(String.format(Locale.ROOT, "| OpenSSH `ssh host 'cat > tmp && mv tmp authorized_keys'` | %d | %d | %d |",
                    relay.connections(), logged(host, "server_input_channel_open: ctype session") - channels,
                    relay.roundTrips()));
        } finally {
            host.reconfigure();
        }
        System.out.println("DEPLOY BENCHMARK " + report);
    }

    private void timings(List<SshFleet.Host> hosts, int rounds) throws Exception {
        int n = hosts.size();
        reset();
        String testumKey = credential("bench-" + n);
        Path operator = KeyGen.generate(work, "ed25519", 0, null, null, "operator");
        Fixtures.key("operator", KeyGen.publicLine(operator));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SshFleet.Host host = hosts.get(i);
            host.writeAuthorizedKeys(testumKey + "\n");
            names.add("bench-" + i);
            post("/api/platforms", Map.of("name", "bench-" + i, "host", host.address(), "port", host.port(),
                    "username", host.user(), "auth_method", "key", "credential", "bench-" + n)).statusCode(201);
        }
        List<String> keys = new ArrayList<>(List.of("operator"));
        post("/api/access", Map.of("name", "fleet", "keys", keys, "platforms", names)).statusCode(201);
        settle(n, awaitNewBlock(null));

        List<Double> kept = new ArrayList<>();
        List<Double> shell = new ArrayList<>();
        List<Double> sftp = new ArrayList<>();
        List<Double> openssh = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            List<Way> order = round % 2 == 0 ? List.of(Way.SHELL, Way.SFTP) : List.of(Way.SFTP, Way.SHELL);
            for (Way way : order) {
                way.use();
                (way == Way.SHELL ? shell : sftp).add(change(keys, names, n));
            }
            Way.KEPT.use();
            change(keys, names, n); // nothing is kept after keep-alive was off: this deployment's proofs are
            kept.add(change(keys, names, n));
            openssh.add(openssh(hosts, null, operator, n + "-" + round));
        }
        Way.KEPT.use();
        double k = median(kept);
        double s = median(shell);
        double f = median(sftp);
        double b = median(openssh);
        report.add(String.format(Locale.ROOT, "| %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |", n, k, s, f, b, k / b,
                s / b, f / b));
        System.out.println("DEPLOY BENCHMARK " + n + " hosts: kept " + kept + ", shell " + shell + ", sftp " + sftp
                + ", openssh " + openssh);
    }

    /** Adds a key to the grant and times it until every deployment holds the new block. */
    private double change(List<String> keys, List<String> platforms, int n) throws Exception {
        String name = "extra-" + keys.size();
        Path extra = KeyGen.generate(work, "ed25519", 0, null, null, name);
        Fixtures.key(name, KeyGen.publicLine(extra));
        keys.add(name);
        String before = desiredHash();
        CpuMeter cpu = CpuMeter.start();
        Fixtures.put("/api/access/fleet", Map.of("keys", keys, "platforms", platforms)).statusCode(200);
        awaitInSync(n, awaitNewBlock(before), 600);
        CpuMeter.Used used = cpu.stop();
        cpuNotes.add(String.format(Locale.ROOT, "change of %d hosts, %s: %s", n, Way.current.label, used.describe()));
        return used.wall();
    }

    private void webhook(List<SshFleet.Host> hosts, int rounds) throws Exception {
        int n = hosts.size();
        reset();
        String testumKey = credential("deployer");
        for (SshFleet.Host host : hosts) {
            host.writeAuthorizedKeys(testumKey + "\n");
        }
        Path alice = KeyGen.generate(work, "ed25519", 0, null, null, "alice");
        Path bob = KeyGen.generate(work, "ed25519", 0, null, null, "bob");
        GitRepo repo = GitRepo.init(work.resolve("fleet"));
        repo.commit("testum.yaml", fleetDocument(hosts, alice, bob, false), "alice");
        post("/api/gitops/sources", Map.of("name", "fleet", "url", repo.url(), "interval", "1h",
                "webhook_secret", "bench-secret")).statusCode(201);
        given().post("/api/gitops/sources/fleet/sync?wait=true").then().statusCode(200);
        settle(n, awaitNewBlock(null));

        List<Double> webhook = new ArrayList<>();
        List<Double> webhookOff = new ArrayList<>();
        List<Double> openssh = new ArrayList<>();
        int commits = 0;
        for (int round = 0; round < rounds; round++) {
            Way.SHELL.use();
            webhookOff.add(push(repo, hosts, alice, bob, n, commits++));
            Way.KEPT.use();
            push(repo, hosts, alice, bob, n, commits++); // nothing is kept after keep-alive was off: this push's proofs are
            webhook.add(push(repo, hosts, alice, bob, n, commits++));
            openssh.add(openssh(hosts, null, alice, "webhook-" + round));
        }
        double w = median(webhook);
        double o = median(webhookOff);
        double b = median(openssh);
        report.add("| " + n + " hosts | signed webhook until all in_sync (s) | OpenSSH xargs -P 50 writes the same files (s) "
                + "| webhook ÷ OpenSSH | goal: ≤ 1 |");
        report.add("| --- | --- | --- | --- | --- |");
        report.add(String.format(Locale.ROOT, "| keep-alive on, median of %d | %.2f | %.2f | %.2f | %s |", rounds, w, b, w / b,
                w <= b ? "met" : "not met"));
        report.add(String.format(Locale.ROOT, "| keep-alive off, median of %d | %.2f | %.2f | %.2f | %s |", rounds, o, b, o / b,
                o <= b ? "met" : "not met"));
        System.out.println("DEPLOY BENCHMARK webhook kept " + webhook + ", webhook off " + webhookOff + ", openssh " + openssh);
    }

    /** Commits the next fleet document and times its signed webhook until every host holds the new block. */
    private double push(GitRepo repo, List<SshFleet.Host> hosts, Path alice, Path bob, int n, int commit)
            throws Exception {
        repo.commit("testum.yaml", fleetDocument(hosts, alice, bob, commit % 2 == 0), "push " + commit);
        byte[] body = "{\"ref\":\"refs/heads/main\"}".getBytes(StandardCharsets.UTF_8);
        String signature = signature(body);
        String before = desiredHash();
        CpuMeter cpu = CpuMeter.start();
        Auth.withoutDefaults(() -> given().header("X-Hub-Signature-256", signature).body(body)
                .post("/api/gitops/webhook/fleet").then().statusCode(202));
        String block = awaitNewBlock(before);
        double reconciled = cpu.seconds();
        awaitInSync(n, block, 600);
        CpuMeter.Used used = cpu.stop();
        cpuNotes.add(String.format(Locale.ROOT, "webhook %s %d: new block stored after %.2f s; %s", Way.current.label,
                commit, reconciled, used.describe()));
        return used.wall();
    }

    private static String fleetDocument(List<SshFleet.Host> hosts, Path alice, Path bob, boolean withBob) {
        StringBuilder doc = new StringBuilder("ssh_keys:\n");
        doc.append("  - name: alice\n    public_key: \"").append(KeyGen.publicLine(alice)).append("\"\n");
        doc.append("  - name: bob\n    public_key: \"").append(KeyGen.publicLine(bob)).append("\"\n");
        doc.append("platforms:\n");
        for (SshFleet.Host host : hosts) {
            doc.append("  - name: ").append(host.user()).append("\n    host: 127.0.0.1\n    port: ").append(host.port())
                    .append("\n    username: ").append(host.user()).append("\n    auth_method: key\n    credential: deployer\n")
                    .append("    labels: {fleet: bench}\n");
        }
        doc.append("access:\n  - name: everyone\n    keys: [alice").append(withBob ? ", bob" : "")
                .append("]\n    selector: {fleet: bench}\n");
        return doc.toString();
    }

    private static String signature(byte[] body) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("bench-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static String credential(String name) {
        return post("/api/credentials/generate", Map.of("name", name)).statusCode(201).extract().path("public_key");
    }

    private static void reset() {
        TestDatabase.reset();
        try (var c = TestDatabase.connect(); var s = c.createStatement()) {
            s.execute("TRUNCATE gitops_sources, reconcile_runs");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        Auth.asAdmin();
    }

    /** The block every deployment is meant to hold now (all of them hold the same one here). */
    private static String desiredHash() {
        JsonNode items = LOOK.deployments("size=1").path("items");
        return items.isEmpty() ? null : items.get(0).path("desired_hash").asText(null);
    }

    /** Waits, one fleet-wide request per look, until the desired block is no longer {@code before}; returns the new one. */
    private static String awaitNewBlock(String before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            String now = desiredHash();
            if (now != null && !now.equals(before)) {
                return now;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the desired block did not change within 120 s");
    }

    /** Waits, one fleet-wide request per look, until {@code expected} deployments hold {@code hash} and are in sync. */
    private static void awaitInSync(int expected, String hash, int timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            int inSync = LOOK.deployments("status=in_sync&deployed_hash=" + hash + "&size=1").path("total").asInt();
            if (inSync == expected) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("deployments not in sync within " + timeoutSeconds + " s: " + given()
                .get("/api/deployments?status=failed&status=unreachable&status=pending&size=3").then().extract().asString());
    }

    /**
     * The first deployment of a fleet, before any timing: deploys again whatever did not make it
     * (a machine this busy may drop a key exchange or two).
     */
    private static void settle(int expected, String hash) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                awaitInSync(expected, hash, 180);
                return;
            } catch (AssertionError e) {
                if (attempt == 3) {
                    throw e;
                }
                List<String> failing = given().get("/api/deployments?status=failed&status=unreachable&size=1000").then()
                        .statusCode(200).extract().path("items.platform");
                failing.forEach(p -> given().post("/api/platforms/" + p + "/deploy-keys").then().statusCode(200));
            }
        }
    }

    /** Lines of the host's sshd log that contain {@code text}. */
    private static long logged(SshFleet.Host host, String text) {
        return host.log().lines().filter(l -> l.contains(text)).count();
    }

    /**
     * The same write with OpenSSH: each host gets its current file again through
     * {@code cat > tmp && mv tmp authorized_keys}, 50 at a time; {@code ports} (or null) to
     * reach the hosts elsewhere, e.g. through a relay.
     */
    private double openssh(List<SshFleet.Host> hosts, List<Integer> ports, Path key, String round) throws IOException,
            InterruptedException {
        Path jobs = work.resolve("jobs-" + round + ".txt");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            SshFleet.Host host = hosts.get(i);
            Path content = work.resolve("content-" + host.user() + "-" + round);
            Files.write(content, host.authorizedKeysBytes());
            lines.add((ports == null ? host.port() : ports.get(i)) + " " + host.user() + " " + content);
        }
        Files.writeString(jobs, String.join("\n", lines) + "\n");
        String ssh = "ssh -i " + key + " -o BatchMode=yes -o IdentitiesOnly=yes -o StrictHostKeyChecking=no "
                + "-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR " + System.getProperty("bench.openssh-options", "");
        String command = "xargs -P 50 -L 1 sh -c '" + ssh + " -p \"$0\" \"$1\"@127.0.0.1 "
                + "\"cat > .ssh/authorized_keys.tmp && mv .ssh/authorized_keys.tmp .ssh/authorized_keys\" < \"$2\"' < " + jobs;
        CpuMeter cpu = CpuMeter.start();
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("the OpenSSH baseline failed: " + output);
        }
        CpuMeter.Used used = cpu.stop();
        cpuNotes.add("OpenSSH " + round + " (" + hosts.size() + " hosts): " + used.describe());
        return used.wall();
    }

    private static String uptime() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("uptime").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }
}

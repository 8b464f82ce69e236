package io.testum.bench;

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

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.testum.testing.Auth;
import io.testum.testing.Fixtures;
import io.testum.testing.KeyGen;
import io.testum.testing.PostgresResource;
import io.testum.testing.SshFleet;
import io.testum.testing.TestDatabase;

/**
 * Issue 4's benchmark: deploy a changed block to N real sshd hosts, with testum and, in the same
 * run, with the stock OpenSSH client ({@code xargs -P 50} over
 * {@code ssh host 'cat > tmp && mv tmp authorized_keys'}). Both at 50 parallel connections.
 * <p>
 * Run: {@code ./mvnw verify -Pbenchmark -Dbench.hosts=50,200 -Dbench.rounds=3}. The figures go to
 * the console and to {@code target/benchmarks/deploy.md}.
 */
@QuarkusTest
@TestProfile(DeployBenchmark.Profile.class)
@WithTestResource(PostgresResource.class)
class DeployBenchmark {

    public static final class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("testum.ssh.max-concurrency", "50", "quarkus.log.category.\"io.testum.deploy\".level", "WARN");
        }
    }

    @Test
    void deployAChangedBlockAgainstOpenSshInParallel() throws Exception {
        List<Integer> sizes = Arrays.stream(System.getProperty("bench.hosts", "50,200").split(","))
                .map(String::strip).map(Integer::parseInt).toList();
        int rounds = Integer.parseInt(System.getProperty("bench.rounds", "3"));
        int max = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
        Path work = Files.createTempDirectory("deploy-bench");
        List<String> report = new ArrayList<>();
        report.add("| hosts | testum (s) | OpenSSH xargs -P 50 (s) | testum ÷ baseline |");
        report.add("| --- | --- | --- | --- |");
        try (SshFleet fleet = SshFleet.start(max)) {
            for (int n : sizes) {
                List<SshFleet.Host> hosts = fleet.hosts().subList(0, n);
                TestDatabase.reset();
                Auth.asAdmin();
                String testumKey = post("/api/credentials/generate", Map.of("name", "bench-" + n)).statusCode(201)
                        .extract().path("public_key");
                Path operator = KeyGen.generate(work, "ed25519", 0, null, null, "operator");
                List<String> names = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    SshFleet.Host host = hosts.get(i);
                    host.writeAuthorizedKeys(testumKey + "\n");
                    String name = "bench-" + i;
                    names.add(name);
                    post("/api/platforms", Map.of("name", name, "host", host.address(), "port", host.port(),
                            "username", host.user(), "auth_method", "key", "credential", "bench-" + n)).statusCode(201);
                }
                Fixtures.key("operator", KeyGen.publicLine(operator));
                List<String> keys = new ArrayList<>(List.of("operator"));
                post("/api/access", Map.of("name", "fleet", "keys", keys, "platforms", names)).statusCode(201);
                awaitInSync(n, 300);

                List<Double> testum = new ArrayList<>();
                List<Double> openssh = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    String keyName = "extra-" + n + "-" + round;
                    Path extra = KeyGen.generate(work, "ed25519", 0, null, null, keyName);
                    Fixtures.key(keyName, KeyGen.publicLine(extra));
                    keys.add(keyName);
                    String before = TestDatabase.rows("SELECT min(desired_hash) FROM deployments").get(0).get(0);
                    long start = System.nanoTime();
                    Fixtures.put("/api/access/fleet", Map.of("keys", keys, "platforms", names)).statusCode(200);
                    awaitChanged(before, 600);
                    awaitInSync(n, 600);
                    testum.add((System.nanoTime() - start) / 1e9);

                    openssh.add(baseline(hosts, operator, work, round));
                }
                double t = median(testum);
                double b = median(openssh);
                String row = String.format(Locale.ROOT, "| %d | %.2f | %.2f | %.2f |", n, t, b, t / b);
                report.add(row);
                System.out.println("DEPLOY BENCHMARK " + row + " testum rounds " + testum + " openssh rounds " + openssh);
            }
        }
        Path out = Path.of("target", "benchmarks", "deploy.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, String.join("\n", report) + "\n");
        System.out.println(String.join("\n", report));
    }

    /** Waits until the new desired blocks are stored (all pairs get the same block here). */
    private static void awaitChanged(String before, int timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (TestDatabase.rows("SELECT 1 FROM deployments WHERE desired_hash = ? LIMIT 1", before).isEmpty()) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the desired state did not change within " + timeoutSeconds + " s");
    }

    /** Waits until every deployment is in sync with its desired block. */
    private static void awaitInSync(int expected, int timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            var rows = TestDatabase.rows("SELECT count(*) FILTER (WHERE status = 'in_sync' AND deployed_hash = desired_hash), "
                    + "count(*) FILTER (WHERE status NOT IN ('in_sync', 'pending')) FROM deployments");
            long inSync = Long.parseLong(rows.get(0).get(0));
            long bad = Long.parseLong(rows.get(0).get(1));
            if (bad > 0) {
                throw new AssertionError(bad + " deployments failed: "
                        + TestDatabase.rows("SELECT status, last_error FROM deployments WHERE status NOT IN ('in_sync', 'pending') LIMIT 3"));
            }
            if (inSync == expected) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("deployments not in sync within " + timeoutSeconds + " s");
    }

    /**
     * The same write with OpenSSH: each host gets its current file again through
     * {@code cat > tmp && mv tmp authorized_keys}, 50 at a time.
     */
    private static double baseline(List<SshFleet.Host> hosts, Path key, Path work, int round) throws IOException,
            InterruptedException {
        Path jobs = work.resolve("jobs-" + round + ".txt");
        List<String> lines = new ArrayList<>();
        for (SshFleet.Host host : hosts) {
            Path content = work.resolve("content-" + host.user() + "-" + round);
            Files.write(content, host.authorizedKeysBytes());
            lines.add(host.port() + " " + host.user() + " " + content);
        }
        Files.writeString(jobs, String.join("\n", lines) + "\n");
        String ssh = "ssh -i " + key + " -o BatchMode=yes -o IdentitiesOnly=yes -o StrictHostKeyChecking=no "
                + "-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR";
        String command = "xargs -P 50 -L 1 sh -c '" + ssh + " -p \"$0\" \"$1\"@127.0.0.1 "
                + "\"cat > .ssh/authorized_keys.tmp && mv .ssh/authorized_keys.tmp .ssh/authorized_keys\" < \"$2\"' < " + jobs;
        long start = System.nanoTime();
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("the OpenSSH baseline failed: " + output);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }
}

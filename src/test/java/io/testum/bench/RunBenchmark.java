package io.testum.bench;

import static io.testum.testing.Fixtures.post;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.testum.testing.Auth;
import io.testum.testing.KeyGen;
import io.testum.testing.PostgresResource;
import io.testum.testing.SshFleet;
import io.testum.testing.TestDatabase;

/**
 * Issue 6's benchmark: run {@code true} on N real sshd hosts with testum (from the POST until the
 * event stream says {@code run_done}), and in the same run with the OpenSSH client
 * ({@code xargs -P 50 ssh host true}) and with parallel-ssh ({@code parallel-ssh -p 50}). All at 50
 * parallel connections. Also reports the resident memory of the JVM that runs testum (and the test
 * harness) after the largest size.
 * <p>
 * Run: {@code ./mvnw verify -Pbenchmark -Dtest=RunBenchmark -Dbench.hosts=50,200 -Dbench.rounds=3}.
 * Needs Debian's {@code pssh}. The figures go to the console and to {@code target/benchmarks/runs.md}.
 */
@QuarkusTest
@TestProfile(RunBenchmark.Profile.class)
@WithTestResource(PostgresResource.class)
class RunBenchmark {

    public static final class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // 50 run slots: the total less what deployments (8) and interactive calls (8) keep for themselves.
            return Map.of("testum.ssh.max-concurrency", "66", "quarkus.log.category.\"io.testum.runs\".level", "WARN");
        }
    }

    private static final String SSH_OPTIONS = "-o BatchMode=yes -o IdentitiesOnly=yes -o StrictHostKeyChecking=no "
            + "-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR";

    @TestHTTPResource("/")
    URI base;

    @Test
    void runTrueAgainstOpenSshAndParallelSsh() throws Exception {
        List<Integer> sizes = Arrays.stream(System.getProperty("bench.hosts", "50,200").split(","))
                .map(String::strip).map(Integer::parseInt).toList();
        int rounds = Integer.parseInt(System.getProperty("bench.rounds", "3"));
        int max = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
        Path work = Files.createTempDirectory("run-bench");
        List<String> report = new ArrayList<>();
        report.add("| hosts | testum (s) | OpenSSH xargs -P 50 (s) | parallel-ssh -p 50 (s) | testum ÷ xargs |");
        report.add("| --- | --- | --- | --- | --- |");
        try (SshFleet fleet = SshFleet.start(max)) {
            TestDatabase.reset();
            Auth.asAdmin();
            String testumKey = post("/api/credentials/generate", Map.of("name", "bench")).statusCode(201)
                    .extract().path("public_key");
            Path operator = KeyGen.generate(work, "ed25519", 0, null, null, "operator");
            for (int i = 0; i < max; i++) {
                SshFleet.Host host = fleet.host(i);
                host.writeAuthorizedKeys(testumKey + "\n" + KeyGen.publicLine(operator) + "\n");
                post("/api/platforms", Map.of("name", "bench-" + i, "host", host.address(), "port", host.port(),
                        "username", host.user(), "auth_method", "key", "credential", "bench")).statusCode(201);
            }
            for (int n : sizes) {
                List<SshFleet.Host> hosts = fleet.hosts().subList(0, n);
                List<String> names = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    names.add("bench-" + i);
                }
                testum(names); // warm-up: the first contact pins host keys, and the JIT compiles
                List<Double> testum = new ArrayList<>();
                List<Double> xargs = new ArrayList<>();
                List<Double> pssh = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    testum.add(testum(names));
                    xargs.add(xargs(hosts, operator, work));
                    pssh.add(pssh(hosts, operator, work));
                }
                double t = median(testum);
                double x = median(xargs);
                double p = median(pssh);
                String row = String.format(Locale.ROOT, "| %d | %.2f | %.2f | %.2f | %.2f |", n, t, x, p, t / x);
                report.add(row);
                System.out.println("RUN BENCHMARK " + row + " testum " + testum + " xargs " + xargs + " pssh " + pssh);
            }
        }
        report.add("");
        report.add("Resident memory of the JVM running testum (and the test harness) after the runs: " + rssMiB() + " MiB");
        Path out = Path.of("target", "benchmarks", "runs.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, String.join("\n", report) + "\n");
        System.out.println(String.join("\n", report));
    }

    /** Seconds from the POST until the run's event stream delivers {@code run_done}; the run must succeed. */
    private double testum(List<String> names) throws Exception {
        long start = System.nanoTime();
        String id = post("/api/runs", Map.of("command", "true", "targets", Map.of("platforms", names), "concurrency", 50))
                .statusCode(202).extract().path("id");
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/runs/" + id + "/events"))
                .header("Authorization", "Bearer " + Auth.adminToken()).header("Accept", "text/event-stream").build();
        HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofLines());
        String last = response.body().filter(l -> l.startsWith("data:")).reduce((a, b) -> b).orElse("");
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!last.contains("\"run_done\"") || !last.contains("\"succeeded\"")) {
            throw new AssertionError("the run did not succeed: " + last + " "
                    + TestDatabase.rows("SELECT platform, status, error FROM run_hosts WHERE run_id = ?::uuid "
                            + "AND status <> 'succeeded' LIMIT 3", id));
        }
        return seconds;
    }

    private static double xargs(List<SshFleet.Host> hosts, Path key, Path work) throws IOException, InterruptedException {
        Path jobs = work.resolve("xargs-" + hosts.size() + ".txt");
        List<String> lines = new ArrayList<>();
        for (SshFleet.Host host : hosts) {
            lines.add(host.port() + " " + host.user());
        }
        Files.writeString(jobs, String.join("\n", lines) + "\n");
        return time("xargs -P 50 -L 1 sh -c 'ssh -i " + key + " " + SSH_OPTIONS + " -p \"$0\" \"$1\"@127.0.0.1 true' < " + jobs);
    }

    private static double pssh(List<SshFleet.Host> hosts, Path key, Path work) throws IOException, InterruptedException {
        Path list = work.resolve("pssh-" + hosts.size() + ".txt");
        List<String> lines = new ArrayList<>();
        for (SshFleet.Host host : hosts) {
            lines.add(host.user() + "@127.0.0.1:" + host.port());
        }
        Files.writeString(list, String.join("\n", lines) + "\n");
        return time("parallel-ssh -p 50 -t 0 -h " + list + " -x '-i " + key + " " + SSH_OPTIONS + "' true > /dev/null");
    }

    private static double time(String command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("the baseline failed: " + command + "\n" + output);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static long rssMiB() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024).findFirst().orElse(-1L);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }
}

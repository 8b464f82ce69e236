package io.testum.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.testum.testing.SshFleet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The packaged service as an operator runs it, the jar and the native executable side by side in
 * one run, each on its own embedded PostgreSQL:
 * <ul>
 * <li>start: from exec until {@code /q/health/ready} answers 200, the first start in an empty data
 * directory (which unpacks PostgreSQL and creates its cluster), then the median of {@code bench.starts}
 * starts on the initialized one;</li>
 * <li>resident memory idle, then after a run of {@code true} on N real sshd hosts (50 parallel
 * connections), for each N of {@code bench.hosts}; PostgreSQL's processes are given apart;</li>
 * <li>the fan-out: from the POST of the run until it is finished, median of {@code bench.rounds}
 * rounds after one warm-up run;</li>
 * <li>the native build's time, the builder's peak memory and the executable's size, from
 * {@code target/native-build.log} when the toolchain built it.</li>
 * </ul>
 * Builds come from {@code target/quarkus-app} (JVM) and {@code target/*-runner} (native); a missing
 * one is left out. The JVM build runs twice: through {@code bin/run} (the README's run command, with
 * testum's memory settings and start cache; JAVA_HOME picks its JDK) and as {@code java -jar} with
 * {@code bench.jvm-options} (default none: plain {@code java -jar}); {@code bench.jvm-small=true} adds a run with
 * {@link #SMALL_JVM_OPTIONS}. Native options: {@code bench.native-options} (default {@value #NATIVE_OPTIONS}, as
 * the native image's Dockerfile starts it).
 * <p>
 * Run: {@code ./mvnw verify -Pbenchmark -Dtest=PackagedBenchmark -Dbench.hosts=50,200 -Dbench.rounds=3}
 * after {@code ./mvnw package -DskipTests} and the native build. The figures go to the console and
 * to {@code target/benchmarks/packaged.md}.
 */
class PackagedBenchmark {

    private static final String MASTER_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static final String ADMIN_PASSWORD = "benchmark-admin-password";
    /**
     * Candidate JVM settings for a container with a 512 MiB budget (a small serial-collected heap, C1
     * only, capped metaspace and code cache), measured beside the plain jar with
     * {@code -Dbench.jvm-small=true}. Not yet what the Dockerfile gives the JVM.
     */
    static final String SMALL_JVM_OPTIONS = "-XX:MaxRAM=512m -XX:MaxRAMPercentage=50 -XX:+UseSerialGC "
            + "-XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=48m -XX:MaxMetaspaceSize=160m -Xss512k";
    /** The heap the native image's Dockerfile gives the executable (src/main/docker/Dockerfile.native). */
    static final String NATIVE_OPTIONS = "-Xmx128m -Xmn16m";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path target = Path.of("target").toAbsolutePath();
    private final List<String> report = new ArrayList<>();
    private final List<String> timelines = new ArrayList<>();

    @Test
    void jarAndNativeExecutableSideBySide() throws Exception {
        List<Integer> sizes = Arrays.stream(System.getProperty("bench.hosts", "50").split(","))
                .map(String::strip).map(Integer::parseInt).toList();
        int rounds = Integer.parseInt(System.getProperty("bench.rounds", "3"));
        int starts = Integer.parseInt(System.getProperty("bench.starts", "5"));
        int max = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();

        List<Build> builds = new ArrayList<>();
        Path jar = target.resolve("quarkus-app/quarkus-run.jar");
        if (Files.exists(jar)) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // bin/run as the README starts the service: testum's memory settings and its start cache,
            // which the first start (in the empty data directory) writes when it stops.
            Files.deleteIfExists(target.resolve("quarkus-app/testum.aot"));
            Files.deleteIfExists(target.resolve("quarkus-app/testum.jsa"));
            builds.add(new Build("JVM, bin/run", command(Path.of("bin", "run").toAbsolutePath().toString(), "",
                    "--no-samples")));
            String options = System.getProperty("bench.jvm-options", "");
            builds.add(new Build("JVM, java -jar", command(java, options, "-jar", jar.toString())));
            if (Boolean.getBoolean("bench.jvm-small")) {
                builds.add(new Build("JVM, small heap", command(java, SMALL_JVM_OPTIONS, "-jar", jar.toString())));
            }
        }
        try (var runners = Files.list(target)) {
            runners.filter(p -> p.getFileName().toString().endsWith("-runner") && Files.isExecutable(p)).findFirst()
                    .ifPresent(p -> builds.add(new Build("native", command(p.toString(),
                            System.getProperty("bench.native-options", NATIVE_OPTIONS)))));
        }
        if (builds.isEmpty()) {
            throw new IllegalStateException("no build in target/: run ./mvnw package -DskipTests (and the native build) first");
        }
        report.add("Measured " + java.time.LocalDate.now() + " on " + Runtime.getRuntime().availableProcessors()
                + " cores, load average at the start " + loadAverage() + ".");
        report.add("");
        report.add("| build | command | first start to ready (s) | later start to ready, median of " + starts + " (s) | RSS idle (MiB; anonymous) | PostgreSQL PSS (MiB) |"
                + sizes.stream().map(n -> " run of `true` on " + n + " hosts, median of " + rounds + " (s) | RSS after (MiB; anonymous) |")
                        .collect(Collectors.joining()));
        report.add("| --- | --- | --- | --- | --- | --- |" + " --- | --- |".repeat(sizes.size()));
        try (SshFleet fleet = SshFleet.start(max)) {
            for (Build build : builds) {
                report.add(measure(build, fleet, sizes, rounds, starts));
            }
        }
        report.add("");
        report.add("Where a start's time goes (seconds after exec, from the service's log):");
        report.addAll(timelines);
        nativeBuildFigures();
        Path out = target.resolve("benchmarks/packaged.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, String.join("\n", report) + "\n");
        System.out.println("\n" + String.join("\n", report) + "\n");
    }

    private String measure(Build build, SshFleet fleet, List<Integer> sizes, int rounds, int starts) throws Exception {
        Path dataDir = Files.createTempDirectory(target, "bench-data-");
        // The first start, in an empty data directory, unpacks PostgreSQL and creates the cluster.
        Service first = Service.start(build, dataDir);
        double firstStart = first.awaitReady();
        first.stop();
        List<Double> startTimes = new ArrayList<>();
        String timeline = "";
        for (int i = 0; i < starts; i++) {
            Service service = Service.start(build, dataDir);
            startTimes.add(service.awaitReady());
            service.stop();
            timeline = service.timeline(dataDir.resolve("service.log"));
        }
        timelines.add("- " + build.name() + ", last start: " + timeline);
        Service service = Service.start(build, dataDir);
        StringBuilder row = new StringBuilder();
        try {
            service.awaitReady();
            service.signIn();
            Thread.sleep(5_000);
            row.append("| ").append(build.name()).append(" | `").append(String.join(" ", build.displayed())).append("` | ")
                    .append(format(firstStart)).append(" | ").append(format(median(startTimes))).append(" | ")
                    .append(service.resident()).append(" | ")
                    .append(mib(service.postgresPssKib())).append(" |");
            String publicKey = service.post("/api/credentials/generate", "{\"name\":\"bench\",\"type\":\"ed25519\"}")
                    .getString("public_key");
            int max = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
            for (int i = 0; i < max; i++) {
                SshFleet.Host host = fleet.host(i);
                host.writeAuthorizedKeys(publicKey + "\n");
                JsonObject labels = new JsonObject();
                for (int n : sizes) {
                    if (i < n) {
                        labels.put("size-" + n, "yes");
                    }
                }
                service.post("/api/platforms", new JsonObject().put("name", "bench-" + i).put("host", host.address())
                        .put("port", host.port()).put("username", host.user()).put("auth_method", "key")
                        .put("credential", "bench").put("labels", labels).encode());
            }
            for (int n : sizes) {
                service.run("size-" + n); // warm-up
                List<Double> times = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    times.add(service.run("size-" + n));
                }
                row.append(" ").append(format(median(times))).append(" | ").append(service.resident()).append(" |");
            }
        } finally {
            service.stop();
            SshFleet.deleteTree(dataDir);
        }
        return row.toString();
    }

    private void nativeBuildFigures() throws IOException {
        Path log = target.resolve("native-build.log");
        if (!Files.exists(log)) {
            return;
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        Matcher finished = Pattern.compile("Finished generating '([^']+)' in ([0-9hms ]+)\\.").matcher(text);
        Matcher peak = Pattern.compile("Peak RSS: ([0-9.]+GB) \\| CPU load: ([0-9.]+)").matcher(text);
        Matcher size = Pattern.compile("([0-9.]+MB) in total file size").matcher(text);
        Matcher heap = Pattern.compile("- ([0-9.]+GB) of memory \\(([^)]*)\\)").matcher(text);
        report.add("");
        report.add("Native build (target/native-build.log): " + (finished.find() ? finished.group(2).strip() : "?")
                + ", builder peak RSS " + (peak.find() ? peak.group(1) + " (CPU load " + peak.group(2) + ")" : "?")
                + ", builder heap " + (heap.find() ? heap.group(1) + " (" + heap.group(2) + ")" : "?")
                + ", executable " + (size.find() ? size.group(1) : "?") + ".");
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static List<String> command(String program, String options, String... rest) {
        List<String> command = new ArrayList<>();
        command.add(program);
        if (!options.isBlank()) {
            command.addAll(Arrays.asList(options.strip().split("\\s+")));
        }
        command.addAll(Arrays.asList(rest));
        return command;
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String format(double seconds) {
        return String.format(Locale.ROOT, "%.2f", seconds);
    }

    private static String mib(long kib) {
        return Long.toString(Math.round(kib / 1024.0));
    }

    private record Build(String name, List<String> command) {
        List<String> displayed() {
            return command.stream().map(c -> c.startsWith("/") ? Path.of(c).getFileName().toString() : c).toList();
        }
    }

    /** One started service process, on its own port, signed in as the first admin. */
    private static final class Service {
        private final Process process;
        private final int port;
        private final long started;
        private final long startedAtMillis = System.currentTimeMillis();
        private String token;

        private Service(Process process, int port, long started) {
            this.process = process;
            this.port = port;
            this.started = started;
        }

        static Service start(Build build, Path dataDir) throws IOException {
            int port;
            try (var socket = new java.net.ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            ProcessBuilder builder = new ProcessBuilder(build.command()).redirectErrorStream(true)
                    .redirectOutput(dataDir.resolve("service.log").toFile());
            Map<String, String> env = builder.environment();
            env.put("TESTUM_DATA_DIR", dataDir.toString());
            env.put("TESTUM_MASTER_KEY", MASTER_KEY);
            env.put("TESTUM_ADMIN_PASSWORD", ADMIN_PASSWORD);
            env.put("TESTUM_LEADER_ELECTION", "none");
            env.put("TESTUM_SSH_MAX_CONCURRENCY", "50");
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
            env.put("QUARKUS_LOG_CATEGORY__IO_TESTUM_RUNS__LEVEL", "WARN");
            long started = System.nanoTime();
            return new Service(builder.start(), port, started);
        }

        /**
         * When the log's milestones came, in seconds after exec: the embedded PostgreSQL launched,
         * the leader elected, Quarkus started.
         */
        String timeline(Path log) throws IOException {
            Map<String, String> milestones = new java.util.LinkedHashMap<>();
            milestones.put("PostgreSQL launched", "Embedded PostgreSQL listens");
            milestones.put("leader elected", " leads ");
            milestones.put("started", "started in");
            java.time.format.DateTimeFormatter format = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> found = new ArrayList<>();
            for (Map.Entry<String, String> milestone : milestones.entrySet()) {
                lines.stream().filter(l -> l.contains(milestone.getValue()) && l.length() > 23).findFirst().ifPresent(l -> {
                    try {
                        long at = java.time.LocalDateTime.parse(l.substring(0, 23), format)
                                .atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli();
                        found.add(milestone.getKey() + " " + format((at - startedAtMillis) / 1000.0));
                    } catch (java.time.format.DateTimeParseException notALogLine) {
                        // another format: leave the milestone out
                    }
                });
            }
            return String.join(", ", found);
        }

        /** Seconds from exec until {@code /q/health/ready} answered 200. */
        double awaitReady() throws Exception {
            long deadline = started + TimeUnit.MINUTES.toNanos(5);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the service exited with " + process.exitValue());
                }
                try {
                    HttpResponse<Void> ready = HTTP.send(HttpRequest.newBuilder(uri("/q/health/ready")).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (ready.statusCode() == 200) {
                        return (System.nanoTime() - started) / 1e9;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(10);
            }
            throw new IllegalStateException("not ready within 5 minutes");
        }

        void signIn() throws Exception {
            token = post("/api/auth/login", "{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}")
                    .getString("access_token");
        }

        JsonObject post(String path, String json) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return new JsonObject(response.body());
        }

        JsonObject get(String path) throws Exception {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                    .build(), HttpResponse.BodyHandlers.ofString());
            return new JsonObject(response.body());
        }

        /** Seconds from the POST of a run of {@code true} on every platform labelled {@code label=yes} until it finished. */
        double run(String label) throws Exception {
            long start = System.nanoTime();
            String id = post("/api/runs", new JsonObject().put("command", "true").put("concurrency", 50)
                    .put("targets", new JsonObject().put("selector", new JsonObject().put(label, "yes"))).encode()).getString("id");
            while (true) {
                JsonObject run = get("/api/runs/" + id);
                String status = run.getString("status");
                if (!"queued".equals(status) && !"running".equals(status)) {
                    double seconds = (System.nanoTime() - start) / 1e9;
                    if (!"succeeded".equals(status)) {
                        JsonArray results = run.getJsonArray("results");
                        throw new IllegalStateException("the run ended " + status + ": " + (results == null ? run
                                : results.stream().filter(r -> !"succeeded".equals(((JsonObject) r).getString("status")))
                                        .limit(3).toList()));
                    }
                    return seconds;
                }
                Thread.sleep(20);
            }
        }

        /**
         * Resident memory of the service process itself, as {@code RSS; anonymous}: all of it
         * ({@code VmRSS}), and the part that is not pages of its files ({@code RssAnon}: its heap,
         * stacks and what it wrote). The rest, {@code RssFile}, is clean pages mapped from the
         * executable, libraries, jars or the start cache, which the kernel can drop and read again.
         */
        String resident() throws IOException {
            long rss = -1;
            long anonymous = -1;
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                } else if (line.startsWith("RssAnon:")) {
                    anonymous = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return mib(rss) + "; " + mib(anonymous);
        }

        /** Proportional memory of its PostgreSQL processes (shared memory counted once across them). */
        long postgresPssKib() {
            return process.descendants().mapToLong(p -> {
                try {
                    for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/smaps_rollup"))) {
                        if (line.startsWith("Pss:")) {
                            return Long.parseLong(line.replaceAll("[^0-9]", ""));
                        }
                    }
                } catch (IOException gone) {
                    // ended meanwhile
                }
                return 0;
            }).sum();
        }

        /** SIGTERM, as an orchestrator stops it; no process of it may remain. */
        void stop() throws Exception {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            // a JVM that writes its start cache at exit takes longer to stop
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("the service did not stop within 5 minutes");
            }
            for (ProcessHandle child : children) {
                child.onExit().get(30, TimeUnit.SECONDS);
            }
        }

        private URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }
    }
}

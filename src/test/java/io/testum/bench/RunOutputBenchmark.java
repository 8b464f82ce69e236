package io.testum.bench;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.testum.testing.Auth;
import io.testum.testing.PostgresResource;
import io.testum.testing.TestDatabase;

/**
 * A run of {@code bench.output-hosts} hosts (default 1,000) with 1 MiB of stdout each, every host a
 * different output (so every host is its own group, the worst case), read through the API in one
 * request each: {@code GET /api/runs/{id}?size=1000}, {@code GET /api/runs/{id}/groups} and the
 * run page. Reports per answer the bytes, the seconds and the peak heap in use, next to the
 * heap's cap (the sum of the heap pools' peaks: the collector lets the heap fill up to the cap
 * before it collects, so this says little more than that the cap held). The point is the cap: run
 * it with a small heap and it must answer all of it.
 * <p>
 * Run: {@code ./mvnw verify -Pbenchmark -Dtest=RunOutputBenchmark -DargLine=-Xmx256m}. The
 * figures go to the console and to {@code target/benchmarks/run-output.md}.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RunOutputBenchmark {

    private static final int MIB = 1024 * 1024;

    @TestHTTPResource("/")
    URI base;

    @Test
    void readsAThousandHostsWithAMegabyteEachWithinAFixedHeap() throws Exception {
        int hosts = Integer.getInteger("bench.output-hosts", 1000);
        TestDatabase.reset();
        Auth.asAdmin();
        UUID id = UUID.randomUUID();
        long inserting = System.nanoTime();
        try (Connection c = TestDatabase.connect()) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO runs (id, command, status, requested_by, timeout_seconds, "
                    + "concurrency, started_at, finished_at) VALUES (?, 'cat big', 'succeeded', 'admin', 60, 50, now(), now())")) {
                s.setObject(1, id);
                s.executeUpdate();
            }
            // Generated in the database, 50 hosts per statement: the output never passes through this heap.
            try (PreparedStatement s = c.prepareStatement("INSERT INTO run_hosts (run_id, position, platform, status, exit_code, "
                    + "started_at, finished_at, stdout) SELECT ?, i, format('host-%s', lpad(i::text, 4, '0')), 'succeeded', 0, "
                    + "now(), now(), convert_to(rpad(format('host %s says:', i), ?, 'x'), 'UTF8') "
                    + "FROM generate_series(?, ?) i")) {
                for (int from = 0; from < hosts; from += 50) {
                    s.setObject(1, id);
                    s.setInt(2, MIB);
                    s.setInt(3, from);
                    s.setInt(4, Math.min(hosts, from + 50) - 1);
                    s.executeUpdate();
                }
            }
        }
        double inserted = (System.nanoTime() - inserting) / 1e9;

        long maxHeap = Runtime.getRuntime().maxMemory();
        List<String> report = new ArrayList<>();
        report.add(String.format(Locale.ROOT, "%d hosts x 1 MiB of stdout (inserted in %.1f s); heap cap %d MiB", hosts,
                inserted, maxHeap / MIB));
        report.add("");
        report.add("| answer | bytes | seconds | peak heap in use (MiB) |");
        report.add("| --- | --- | --- | --- |");
        HttpClient client = HttpClient.newHttpClient();
        for (String path : new String[] {"api/runs/" + id + "?size=1000", "api/runs/" + id + "/groups", "runs/" + id}) {
            System.gc();
            resetPeaks();
            long start = System.nanoTime();
            HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + Auth.adminToken())
                    .header("Cookie", "testum_access=" + Auth.adminToken()).build();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            long bytes = 0;
            try (InputStream body = response.body()) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = body.read(buffer)) > 0; ) {
                    bytes += n;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (response.statusCode() != 200) {
                throw new AssertionError(path + " answered " + response.statusCode());
            }
            report.add(String.format(Locale.ROOT, "| `GET /%s` | %,d | %.1f | %d |", path.replace(id.toString(), "{id}"), bytes,
                    seconds, peakHeap() / MIB));
        }
        String text = String.join("\n", report) + "\n";
        System.out.println(text);
        Path out = Path.of("target", "benchmarks", "run-output.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, text);
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** The sum of the heap pools' peaks since {@link #resetPeaks}: an upper bound of the heap in use at once. */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}

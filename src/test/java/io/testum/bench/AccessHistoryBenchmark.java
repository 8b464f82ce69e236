package io.testum.bench;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
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
import io.testum.testing.PostgresResource;
import io.testum.testing.TestDatabase;

/**
 * Issue 18's scale goals on the embedded PostgreSQL: 10,000 platforms, 3 accounts each, 50 access
 * history intervals per (platform, account) (1.5 million intervals; 3 or 4 keys each, one of them an
 * operations key in every block), 2,000 stored keys, and keys outside the blocks as a fleet has them
 * (testum's own login key beside the block of every login account, and a hand-added key on one
 * platform in five, in all three accounts). All filled with SQL {@code generate_series}, not
 * through the API. Then, through the real HTTP API, each call timed 20 times after 5 warm-ups
 * (median and p95), goal under 200 ms:
 * <ul>
 * <li>{@code GET /api/access-history?at=&fingerprint=}: where could this key log in at that time,
 * for the operations key (in force on all 30,000 pairs) and for one person's key;</li>
 * <li>{@code GET /api/unmanaged-keys}, the fleet-wide list's first page;</li>
 * </ul>
 * and, for reference, {@code at=} for the whole fleet and for one platform. The plans of the SQL
 * behind the first two go to the report.
 * <p>
 * Run: {@code ./mvnw verify -Pbenchmark -Dtest=AccessHistoryBenchmark} ({@code -Dbench.platforms=10000},
 * {@code -Dbench.intervals=50}); figures on the console and in {@code target/benchmarks/access-history.md}.
 */
@QuarkusTest
@TestProfile(AccessHistoryBenchmark.Profile.class)
@WithTestResource(PostgresResource.class)
class AccessHistoryBenchmark {

    public static final class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Filling the database takes longer than an access token lives, and than the hang detector waits.
            return Map.of("testum.auth.access-token-lifetime", "4h", "quarkus.test.hang-detection-timeout", "2h");
        }
    }

    private static final int WARMUP = 5;
    private static final int CALLS = 20;
    private static final String[] ACCOUNTS = { "deploy", "root", "app" };

    private final List<String> report = new ArrayList<>();

    @Test
    void accessHistoryAndUnmanagedKeysAtFleetScale() throws Exception {
        int platforms = Integer.getInteger("bench.platforms", 10_000);
        int intervals = Integer.getInteger("bench.intervals", 50);
        TestDatabase.reset();
        Auth.asAdmin();
        post("/api/credentials/generate", Map.of("name", "deployer")).statusCode(201);
        report.add("load before: " + uptime());
        long filling = System.nanoTime();
        List<String> steps = fill(platforms, intervals);
        report.add(String.format(Locale.ROOT, "filled in %.1f s (%s): %s", (System.nanoTime() - filling) / 1e9,
                String.join(", ", steps), counts()));
        Auth.asAdmin();

        String ops = single("SELECT fingerprint FROM ssh_keys WHERE name = 'key-0'");
        // The middle of the history: every pair is in its 26th interval.
        Instant at = Instant.parse(single("SELECT to_char((now() - interval '" + (intervals / 2) + " days' + interval '12 hours') "
                + "AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"));
        // A person's key: one that a block of the middle platform holds then, besides the operations key.
        String person = single("SELECT k.fingerprint FROM access_interval_keys k WHERE k.platform = 'host-"
                + String.format(Locale.ROOT, "%05d", platforms / 2) + "' AND k.name LIKE 'key-%' AND k.name <> 'key-0' "
                + "AND tstzrange(k.valid_from, k.valid_to) @> '" + at + "'::timestamptz ORDER BY k.name LIMIT 1");
        report.add("");
        report.add("| call | matches (total) | median (ms) | p95 (ms) | goal |");
        report.add("| --- | --- | --- | --- | --- |");
        time("`GET /api/access-history?at=&fingerprint=` operations key (in every block)",
                "/api/access-history?at=" + at + "&fingerprint=" + ops, true);
        time("`GET /api/access-history?at=&fingerprint=` one person's key", "/api/access-history?at=" + at + "&fingerprint=" + person,
                true);
        time("`GET /api/unmanaged-keys` first page", "/api/unmanaged-keys", true);
        time("`GET /api/users/me` (reference: a call that reads one row)", "/api/users/me", false);
        time("`GET /api/access-history?at=` whole fleet (reference)", "/api/access-history?at=" + at, false);
        time("`GET /api/access-history?at=&platform=` one platform (reference)", "/api/access-history?at=" + at
                + "&platform=host-" + String.format(Locale.ROOT, "%05d", platforms / 2), false);
        report.add("");
        report.add("load after: " + uptime());
        explain("at= for the operations key: count", "SELECT count(*) FROM access_interval_keys k WHERE k.fingerprint = ? "
                + "AND tstzrange(k.valid_from, k.valid_to) @> ?::timestamptz", ops, at);
        explain("at= for the operations key: first page", "SELECT k.interval_id FROM access_interval_keys k WHERE k.fingerprint = ? "
                + "AND tstzrange(k.valid_from, k.valid_to) @> ?::timestamptz "
                + "ORDER BY k.platform, k.account, k.valid_from, k.interval_id LIMIT 50 OFFSET 0", ops, at);
        explain("unmanaged keys: count", "SELECT count(*) FROM unmanaged_keys u JOIN platform_names p ON p.id = u.platform_id "
                + "WHERE true");
        explain("unmanaged keys: first page", "SELECT u.platform_id, p.name, p.labels, u.account, u.fingerprint FROM unmanaged_keys u "
                + "JOIN platform_names p ON p.id = u.platform_id WHERE true ORDER BY p.name, u.account, u.fingerprint LIMIT 50 OFFSET 0");

        Path out = Path.of("target", "benchmarks", "access-history.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, String.join("\n", report) + "\n");
        System.out.println("ACCESS HISTORY BENCHMARK\n" + String.join("\n", report));
    }

    /** Times {@code path}: 5 warm-ups, then 20 calls, each a full HTTP round trip with JSON. */
    private void time(String label, String path, boolean goal) {
        Object total = null;
        for (int i = 0; i < WARMUP; i++) {
            total = given().get(path).then().statusCode(200).extract().jsonPath().get("total");
        }
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            long start = System.nanoTime();
            given().get(path).then().statusCode(200);
            millis.add((System.nanoTime() - start) / 1e6);
        }
        millis.sort(Double::compare);
        double median = (millis.get(CALLS / 2 - 1) + millis.get(CALLS / 2)) / 2;
        double p95 = millis.get((int) Math.ceil(CALLS * 0.95) - 1);
        report.add(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %s |", label, total, median, p95,
                goal ? (p95 < 200 ? "< 200 ms: met" : "< 200 ms: MISSED") : ""));
    }

    /**
     * The platforms, keys, history and unmanaged keys, in SQL. The history's secondary indexes are
     * dropped for the load and built again after it, as a restore would, from their own definitions.
     */
    private static List<String> fill(int platforms, int intervals) throws SQLException {
        List<String> took = new ArrayList<>();
        try (Connection c = TestDatabase.connect(); Statement raw = c.createStatement()) {
            Statement s = timed(raw, took);
            raw.execute("SET synchronous_commit = off");
            raw.execute("SET maintenance_work_mem = '512MB'");
            raw.execute("SET work_mem = '256MB'");
            List<String> indexes = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN "
                    + "('access_intervals', 'access_interval_keys', 'unmanaged_keys') AND indexname NOT LIKE '%pkey'")) {
                while (rs.next()) {
                    indexes.add(rs.getString(2));
                    s.getConnection().createStatement().execute("DROP INDEX " + rs.getString(1));
                }
            }
            s.execute("INSERT INTO ssh_keys (name, public_key, key_type, bits, fingerprint) SELECT 'key-' || i, "
                    + "'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI' || i || ' key' || i || '@example', 'ssh-ed25519', 256, "
                    + "'SHA256:' || rtrim(encode(sha256(('key-' || i)::bytea), 'base64'), '=') FROM generate_series(0, 1999) i");
            s.execute("CREATE TEMP TABLE bench_keys AS SELECT row_number() OVER (ORDER BY id) - 1 AS i, name, fingerprint "
                    + "FROM ssh_keys ORDER BY id");
            s.execute("INSERT INTO platforms (name, host, port, username, auth_method, credential_id, labels) "
                    + "SELECT 'host-' || lpad(n::text, 5, '0'), '10.' || (n / 65536) || '.' || (n / 256 % 256) || '.' || (n % 256), "
                    + "22, 'deploy', 'key', (SELECT id FROM credentials WHERE name = 'deployer'), "
                    + "jsonb_build_object('team', 't' || n % 50) FROM generate_series(1, " + platforms + ") n");
            s.execute("CREATE TEMP TABLE bench_platforms AS SELECT id, name, row_number() OVER (ORDER BY id) AS n FROM platforms");
            // Interval j of (platform n, account a): one day each, staggered by platform; the last is in force.
            String from = "now() - interval '" + intervals + " days' + j * interval '1 day' + (p.n % 600) * interval '1 second'";
            String to = "CASE WHEN j < " + (intervals - 1) + " THEN " + from.replace("j *", "(j + 1) *") + " END";
            s.execute("INSERT INTO access_intervals (id, platform_id, platform, account, observed, content_id, valid_from, valid_to, "
                    + "last_seen_at, ended, source, revision, changes) "
                    + "SELECT ((p.n - 1) * 3 + a) * " + intervals + " + j + 1, p.id, p.name, (ARRAY['deploy', 'root', 'app'])[a + 1], "
                    + "'managed', md5(p.n || '-' || a || '-' || j), " + from + ", " + to + ", coalesce(" + to + ", now()), "
                    + "CASE WHEN j < " + (intervals - 1) + " THEN 'deployed' END, 'main', md5('rev' || j), "
                    + "jsonb_build_array(jsonb_build_object('source', 'main', 'revision', md5('rev' || j), 'grants', '[]'::jsonb)) "
                    + "FROM bench_platforms p, generate_series(0, 2) a, generate_series(0, " + (intervals - 1) + ") j");
            s.execute("SELECT setval('access_intervals_id_seq', (SELECT max(id) FROM access_intervals))");
            // Its keys: the operations key (key-0), two more by a spread formula, and testum's own in the login account.
            String n = "((h.id - 1) / " + (3 * intervals) + " + 1)";
            String a = "((h.id - 1) / " + intervals + " % 3)";
            String j = "((h.id - 1) % " + intervals + ")";
            s.execute("INSERT INTO access_interval_keys (interval_id, fingerprint, name, platform, account, observed, valid_from, valid_to) "
                    + "SELECT h.id, k.fingerprint, k.name, h.platform, h.account, 'managed', h.valid_from, h.valid_to "
                    + "FROM access_intervals h CROSS JOIN LATERAL (VALUES (0), (1 + (" + n + " * 7 + " + j + ") % 1999), "
                    + "(1 + (" + n + " * 13 + " + a + " * 5 + " + j + " / 10) % 1999)) AS pick (i) JOIN bench_keys k ON k.i = pick.i "
                    + "ON CONFLICT DO NOTHING");
            s.execute("INSERT INTO access_interval_keys (interval_id, fingerprint, name, platform, account, observed, valid_from, valid_to) "
                    + "SELECT h.id, c.fingerprint, 'testum:deployer', h.platform, h.account, 'managed', h.valid_from, h.valid_to "
                    + "FROM access_intervals h, credentials c WHERE c.name = 'deployer' AND h.account = 'deploy'");
            // Keys outside the blocks: testum's own beside every login account's block, a hand-added key on one platform in five.
            s.execute("INSERT INTO unmanaged_keys (platform_id, account, fingerprint, key_type, bits, comment, weak, has_from, "
                    + "first_seen_at, last_seen_at) SELECT p.id, 'deploy', c.fingerprint, 'ssh-ed25519', 256, 'testum', false, false, "
                    + "now() - interval '40 days', now() FROM bench_platforms p, credentials c WHERE c.name = 'deployer'");
            s.execute("INSERT INTO unmanaged_keys (platform_id, account, fingerprint, key_type, bits, comment, weak, has_from, "
                    + "first_seen_at, last_seen_at) SELECT p.id, (ARRAY['deploy', 'root', 'app'])[a + 1], "
                    + "'SHA256:' || rtrim(encode(sha256(('old-' || p.n % 500)::bytea), 'base64'), '='), "
                    + "CASE WHEN p.n % 3 = 0 THEN 'ssh-rsa' ELSE 'ssh-ed25519' END, CASE WHEN p.n % 3 = 0 THEN 1024 ELSE 256 END, "
                    + "'old@box' || p.n % 500, p.n % 3 = 0, false, now() - (p.n % 40) * interval '1 day', now() "
                    + "FROM bench_platforms p, generate_series(0, 2) a WHERE p.n % 5 = 0");
            s.execute("WITH opened AS (INSERT INTO access_intervals (platform_id, platform, account, observed, content_id, valid_from, "
                    + "last_seen_at) SELECT u.platform_id, p.name, u.account, 'unmanaged', u.fingerprint, u.first_seen_at, u.last_seen_at "
                    + "FROM unmanaged_keys u JOIN platforms p ON p.id = u.platform_id RETURNING id, platform, account, content_id, valid_from) "
                    + "INSERT INTO access_interval_keys (interval_id, fingerprint, platform, account, observed, valid_from) "
                    + "SELECT id, content_id, platform, account, 'unmanaged', valid_from FROM opened");
            for (String index : indexes) {
                s.execute(index);
            }
            s.execute("ANALYZE");
        }
        return took;
    }

    /** {@code s}, noting how long each statement took (the first words of it, and seconds) in {@code took}. */
    private static Statement timed(Statement s, List<String> took) {
        return (Statement) java.lang.reflect.Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] { Statement.class },
                (proxy, method, args) -> {
                    long start = System.nanoTime();
                    try {
                        return method.invoke(s, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        double seconds = (System.nanoTime() - start) / 1e9;
                        if (method.getName().equals("execute") && seconds >= 1) {
                            String sql = ((String) args[0]).replaceAll("\\s+", " ");
                            took.add(String.format(Locale.ROOT, "%s… %.0f s", sql.substring(0, Math.min(48, sql.length())), seconds));
                        }
                    }
                });
    }

    private static String counts() {
        return TestDatabase.rows("SELECT (SELECT count(*) FROM platforms) || ' platforms, ' || (SELECT count(*) FROM ssh_keys) "
                + "|| ' keys, ' || (SELECT count(*) FROM access_intervals) || ' intervals, ' || (SELECT count(*) FROM "
                + "access_interval_keys) || ' interval keys, ' || (SELECT count(*) FROM unmanaged_keys) || ' unmanaged keys; "
                + "history ' || pg_size_pretty(pg_total_relation_size('access_intervals') + pg_total_relation_size('access_interval_keys'))")
                .get(0).get(0);
    }

    private static String single(String sql) {
        return TestDatabase.rows(sql).get(0).get(0);
    }

    private void explain(String label, String sql, Object... params) throws SQLException {
        report.add("");
        report.add("EXPLAIN (ANALYZE, BUFFERS) " + label + ":");
        report.add("```");
        try (Connection c = TestDatabase.connect();
                PreparedStatement s = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i] instanceof Instant t ? t.toString() : params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    report.add(rs.getString(1));
                }
            }
        }
        report.add("```");
    }

    private static String uptime() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("uptime").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }
}

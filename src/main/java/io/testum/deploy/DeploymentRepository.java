package io.testum.deploy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.common.Timestamps;
import io.testum.inventory.HostKeyPins;
import io.testum.inventory.InventoryChanged;
import io.testum.inventory.PlatformDirectory;
import io.testum.keys.KeyDirectory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** Deployment records, and the inventory as deployment reads it, in SQL. */
@ApplicationScoped
class DeploymentRepository {

    private static final String RECORD_COLUMNS = "d.platform_id, p.name AS platform, d.account, d.path, d.exclusive, d.status, "
            + "d.keys, d.desired_content, d.desired_hash, d.deployed_hash, d.last_attempt_at, d.last_success_at, d.last_error, "
            + "d.drifted_lines, d.hold, d.desired_keys, d.desired_changes";
    /** The most changes a deployment keeps behind a block that has not reached its host yet. */
    static final int MAX_CHANGES = 20;

    private final Pool pool;
    private final HostKeyPins pins;
    private final KeyDirectory keys;
    private final PlatformDirectory directory;
    private final DriftPolicy drift;

    DeploymentRepository(Pool pool, HostKeyPins pins, KeyDirectory keys, PlatformDirectory directory,
            DriftPolicy drift) {
        this.pool = pool;
        this.drift = drift;
        this.directory = directory;
        this.pins = pins;
        this.keys = keys;
    }

    public Uni<DesiredState.Inventory> load() {
        Uni<List<DesiredState.PlatformRow>> platforms = Uni.combine().all()
                .unis(directory.logins(), keys.credentialNames(), pins.fingerprints()).asTuple()
                .map(t -> t.getItem1().stream().map(p -> row(p, t.getItem2().get(p.credentialId()),
                        t.getItem3().get(HostKeyPins.address(p.host(), p.port()))))
                        .collect(Collectors.toCollection(ArrayList::new)));
        Uni<List<DesiredState.GrantRow>> grants = keys.grantsInForce().map(list -> list.stream()
                .map(g -> new DesiredState.GrantRow(g.name(), g.platformIds(), g.selector(), g.account(), g.options(),
                        g.keys().stream().map(k -> new DesiredState.KeyRow(k.name(), k.publicKey())).toList()))
                .collect(Collectors.toCollection(ArrayList::new)));
        Uni<Set<DesiredState.Pair>> existing = pool.query("SELECT platform_id, account FROM deployments").execute()
                .map(rows -> {
                    Set<DesiredState.Pair> pairs = new HashSet<>();
                    rows.forEach(r -> pairs.add(new DesiredState.Pair(r.getLong(0), r.getString(1))));
                    return pairs;
                });
        return Uni.combine().all().unis(platforms, grants, keys.credentialPublicKeys(), existing, keys.credentialSecretRefs())
                .with(DesiredState.Inventory::new);
    }

    /**
     * Stores the desired state. Pairs whose block changed become {@code pending}; pairs of colliding
     * platforms, and pairs whose block testum refuses to write, are marked failed with the reason.
     * A changed block keeps {@code causes} as the changes behind it, after those of the block it
     * replaces if that one never reached the host.
     *
     * @param causes the changes made since the desired state was last computed
     * @return the pairs whose block changed (or are new), not held back: these need a deployment
     */
    public Uni<Set<DesiredState.Pair>> applyDesired(Map<DesiredState.Pair, DesiredState.Desired> desired,
            Map<Long, String> collisions, List<InventoryChanged.Cause> causes) {
        return pool.query("SELECT platform_id, account, desired_hash, deployed_hash, path, exclusive, last_error, hold, "
                + "desired_keys IS NULL AS keys_unknown, desired_changes FROM deployments")
                .execute().flatMap(rows -> {
                    Map<DesiredState.Pair, Row> current = new HashMap<>();
                    rows.forEach(r -> current.put(new DesiredState.Pair(r.getLong("platform_id"), r.getString("account")), r));
                    List<Tuple> upserts = new ArrayList<>();
                    List<Tuple> flagged = new ArrayList<>();
                    List<Tuple> resolved = new ArrayList<>();
                    List<Tuple> keyed = new ArrayList<>();
                    Map<String, String> fingerprints = new HashMap<>();
                    Set<DesiredState.Pair> changed = new HashSet<>();
                    desired.forEach((pair, d) -> {
                        Row row = current.get(pair);
                        String collision = collisions.containsKey(pair.platformId()) ? collisions.get(pair.platformId())
                                : d.refusal();
                        DeploymentHold hold = collisions.containsKey(pair.platformId()) ? DeploymentHold.COLLISION
                                : d.refusal() != null ? DeploymentHold.REFUSED : null;
                        boolean differs = row == null || !d.hash().equals(row.getString("desired_hash"))
                                || !d.path().equals(row.getString("path")) || d.exclusive() != row.getBoolean("exclusive");
                        if (differs) {
                            upserts.add(Tuple.from(List.of(pair.platformId(), pair.account(), d.path(), d.exclusive(),
                                    new JsonArray(d.keyNames()), d.block(), d.hash(), BlockKey.toJson(BlockKey.of(d.lines(),
                                            fingerprints)), Changes.toJson(changes(row, causes)))));
                        } else if (row.getBoolean("keys_unknown")) {
                            keyed.add(Tuple.of(pair.platformId(), pair.account(),
                                    BlockKey.toJson(BlockKey.of(d.lines(), fingerprints))));
                        }
                        if (collision != null) {
                            if (row == null || differs || !collision.equals(row.getString("last_error"))) {
                                flagged.add(Tuple.of(pair.platformId(), pair.account(), collision, hold.wire()));
                            }
                        } else if (row != null && row.getString("hold") != null) {
                            resolved.add(Tuple.of(pair.platformId(), pair.account()));
                            changed.add(pair);
                        } else if (differs) {
                            changed.add(pair);
                        }
                    });
                    Uni<Void> write = upserts.isEmpty() ? Uni.createFrom().voidItem() : pool.preparedQuery(
                            "INSERT INTO deployments (platform_id, account, path, exclusive, keys, desired_content, desired_hash, "
                            + "desired_keys, desired_changes, status) "
                            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending') ON CONFLICT (platform_id, account) DO UPDATE SET "
                            + "path = EXCLUDED.path, exclusive = EXCLUDED.exclusive, keys = EXCLUDED.keys, "
                            + "desired_content = EXCLUDED.desired_content, desired_hash = EXCLUDED.desired_hash, "
                            + "desired_keys = EXCLUDED.desired_keys, desired_changes = EXCLUDED.desired_changes, "
                            + "status = 'pending', updated_at = now()").executeBatch(upserts).replaceWithVoid();
                    // Records from before the access history learn their block's keys without being redeployed.
                    Uni<Void> key = keyed.isEmpty() ? Uni.createFrom().voidItem() : pool.preparedQuery(
                            "UPDATE deployments SET desired_keys = $3 WHERE platform_id = $1 AND account = $2")
                            .executeBatch(keyed).replaceWithVoid();
                    Uni<Void> flag = flagged.isEmpty() ? Uni.createFrom().voidItem() : pool.preparedQuery(
                            "UPDATE deployments SET status = 'failed', last_error = $3, hold = $4, updated_at = now() "
                            + "WHERE platform_id = $1 AND account = $2").executeBatch(flagged).replaceWithVoid();
                    Uni<Void> clear = resolved.isEmpty() ? Uni.createFrom().voidItem() : pool.preparedQuery(
                            "UPDATE deployments SET status = 'pending', last_error = NULL, hold = NULL, updated_at = now() "
                            + "WHERE platform_id = $1 AND account = $2").executeBatch(resolved).replaceWithVoid();
                    return write.flatMap(x -> key).flatMap(x -> flag).flatMap(x -> clear).replaceWith(changed);
                });
    }

    /**
     * The changes behind a new desired block: {@code causes}, after those of the block it replaces
     * when that one never reached the host (its changes are in the new block too); the last
     * {@link #MAX_CHANGES}.
     */
    static List<InventoryChanged.Cause> changes(Row current, List<InventoryChanged.Cause> causes) {
        List<InventoryChanged.Cause> all = new ArrayList<>();
        if (current != null && !java.util.Objects.equals(current.getString("deployed_hash"), current.getString("desired_hash"))) {
            all.addAll(Changes.fromJson(current.getJsonArray("desired_changes")));
        }
        all.addAll(causes);
        return all.size() <= MAX_CHANGES ? all : List.copyOf(all.subList(all.size() - MAX_CHANGES, all.size()));
    }

    public Uni<List<DeploymentRecord>> forPlatform(long platformId) {
        return records("WHERE d.platform_id = $1", Tuple.of(platformId));
    }

    /** Records in one of these states, not held back (by a collision or a refusal). */
    public Uni<List<DeploymentRecord>> withStatus(Set<DeploymentStatus> statuses) {
        return records("WHERE d.status = ANY($1) AND d.hold IS NULL",
                Tuple.of(statuses.stream().map(DeploymentStatus::wire).toArray(String[]::new)));
    }

    /** One page of the fleet's deployment records, and how many match. */
    public record Page(List<DeploymentRecord> items, long total) {
    }

    /**
     * The fleet's deployment records, by platform and account, filtered: each filter that is not
     * null must match.
     */
    public Uni<Page> search(List<DeploymentStatus> statuses, String platform, String account, String deployedHash, int page, int size) {
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder("WHERE true");
        if (statuses != null && !statuses.isEmpty()) {
            params.add(statuses.stream().map(DeploymentStatus::wire).toArray(String[]::new));
            where.append(" AND d.status = ANY($").append(params.size()).append(")");
        }
        if (platform != null) {
            params.add(platform);
            where.append(" AND p.name = $").append(params.size());
        }
        if (account != null) {
            params.add(account);
            where.append(" AND d.account = $").append(params.size());
        }
        if (deployedHash != null) {
            params.add(deployedHash);
            where.append(" AND d.deployed_hash = $").append(params.size());
        }
        String from = " FROM deployments d JOIN platform_names p ON p.id = d.platform_id " + where;
        return io.testum.common.Pages.sql(pool, RECORD_COLUMNS, from, "p.name, d.account", params, page, size,
                DeploymentRepository::records).map(p -> new Page(p.items(), p.total()));
    }

    /**
     * The records whose desired block holds the key named {@code keyName}: with {@code inSync}, one
     * page of those in sync (the host holds the block), else one page of the others; by platform and account.
     */
    public Uni<Page> carrying(String keyName, boolean inSync, int page, int size) {
        String from = " FROM deployments d JOIN platform_names p ON p.id = d.platform_id WHERE d.keys ? $1 AND "
                + (inSync ? "d.status = 'in_sync'" : "d.status <> 'in_sync'");
        return io.testum.common.Pages.sql(pool, RECORD_COLUMNS, from, "p.name, d.account", List.of(keyName), page, size,
                DeploymentRepository::records).map(p -> new Page(p.items(), p.total()));
    }

    /** Records not in sync (failed, unreachable, drifted, host key mismatch, collisions), most recently tried first. */
    public Uni<List<DeploymentRecord>> failing(int limit) {
        return pool.preparedQuery("SELECT " + RECORD_COLUMNS + " FROM deployments d JOIN platform_names p ON p.id = d.platform_id "
                + "WHERE d.status NOT IN ('in_sync', 'pending') "
                + "ORDER BY d.last_attempt_at DESC NULLS LAST, p.name, d.account LIMIT $1").execute(Tuple.of(limit))
                .map(DeploymentRepository::records);
    }

    public Uni<List<DeploymentRecord>> forPairs(Set<DesiredState.Pair> pairs) {
        if (pairs.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Long[] ids = pairs.stream().map(DesiredState.Pair::platformId).distinct().toArray(Long[]::new);
        return records("WHERE d.platform_id = ANY($1)", Tuple.of(ids))
                .map(all -> all.stream().filter(r -> pairs.contains(r.pair())).toList());
    }

    private Uni<List<DeploymentRecord>> records(String where, Tuple params) {
        return pool.preparedQuery("SELECT " + RECORD_COLUMNS + " FROM deployments d JOIN platform_names p ON p.id = d.platform_id "
                + where + " ORDER BY p.name, d.account").execute(params).map(DeploymentRepository::records);
    }

    public Uni<DesiredState.PlatformRow> platform(long id) {
        return directory.login(id).flatMap(this::row);
    }

    public Uni<DesiredState.PlatformRow> platform(String name) {
        return directory.login(name).flatMap(this::row);
    }

    /** The platform with its credential's name and the host key pinned at its address, asked of their owners. */
    private Uni<DesiredState.PlatformRow> row(PlatformDirectory.Login platform) {
        if (platform == null) {
            return Uni.createFrom().nullItem();
        }
        return keys.credentialName(platform.credentialId()).flatMap(credential -> pins.find(platform.host(), platform.port())
                .map(pin -> row(platform, credential, pin == null ? null : pin.fingerprint())));
    }

    private static DesiredState.PlatformRow row(PlatformDirectory.Login p, String credential, String pinnedHostKey) {
        return new DesiredState.PlatformRow(p.id(), p.name(), p.host(), p.port(), p.username(), p.authMethod(), credential,
                p.labels(), p.authorizedKeysPath(), p.exclusive(), p.declaredHostKey(), pinnedHostKey);
    }

    /** Whether the GitOps source that manages the platform says {@code drift: report}, asked of inventory and gitops. */
    public Uni<Boolean> driftReportOnly(long platformId) {
        return directory.source(platformId).flatMap(source -> source == null || source.isEmpty()
                ? Uni.createFrom().item(false) : drift.reportOnly(source));
    }

    /** What the GitOps source that manages the platform says about keys outside the block; {@code keep} for none. */
    public Uni<UnmanagedMode> unmanagedMode(long platformId) {
        return directory.source(platformId).flatMap(source -> source == null || source.isEmpty()
                ? Uni.createFrom().item(UnmanagedMode.KEEP) : drift.unmanaged(source));
    }

    /**
     * How an attempt ended for one pair.
     *
     * @param unmanaged   what the file holds outside the block after the attempt, or null when testum does not know
     * @param observation what testum saw of the block on the host, for the access history; null when it saw nothing
     */
    public record Outcome(DesiredState.Pair pair, DeploymentStatus status, String deployedHash, String error,
            Map<String, Object> driftedLines, UnmanagedKeys.Scan unmanaged, Observation observation) {

        public Outcome(DesiredState.Pair pair, DeploymentStatus status, String deployedHash, String error,
                Map<String, Object> driftedLines) {
            this(pair, status, deployedHash, error, driftedLines, null, null);
        }

        public Outcome(DesiredState.Pair pair, DeploymentStatus status, String deployedHash, String error,
                Map<String, Object> driftedLines, UnmanagedKeys.Scan unmanaged) {
            this(pair, status, deployedHash, error, driftedLines, unmanaged, null);
        }

        Outcome with(Observation seen) {
            return new Outcome(pair, status, deployedHash, error, driftedLines, unmanaged, seen);
        }
    }

    /**
     * What one attempt saw of a pair's block on the host.
     *
     * @param at    when the host was last seen to hold the desired block (after testum's write was
     *              proved, or at the read that found it); null when it does not hold it
     * @param wrote whether testum wrote the file in this attempt
     * @param drift a block found on the host that differs from the desired one, or null
     */
    public record Observation(Instant at, boolean wrote, Drift drift) {
    }

    /**
     * A block found changed on the host.
     *
     * @param at    when it was read
     * @param block its text (for an exclusive file, the whole file), or null when the file had no block
     */
    public record Drift(Instant at, String block) {
    }

    public Uni<Void> save(List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> tuples = outcomes.stream().map(o -> Tuple.from(java.util.Arrays.asList(o.pair().platformId(),
                o.pair().account(), o.status().wire(), o.deployedHash(), o.error(),
                o.driftedLines() == null ? null : new JsonObject(o.driftedLines())))).toList();
        return pool.preparedQuery("UPDATE deployments SET status = $3, "
                + "deployed_hash = coalesce($4, deployed_hash), last_error = $5, drifted_lines = $6, "
                + "last_attempt_at = now(), last_success_at = CASE WHEN $3 = 'in_sync' THEN now() ELSE last_success_at END, "
                + "updated_at = now() WHERE platform_id = $1 AND account = $2").executeBatch(tuples).replaceWithVoid();
    }

    @SuppressWarnings("unchecked")
    private static List<DeploymentRecord> records(RowSet<Row> rows) {
        List<DeploymentRecord> list = new ArrayList<>();
        rows.forEach(r -> {
            JsonArray keys = r.getJsonArray("keys");
            JsonObject drifted = r.getJsonObject("drifted_lines");
            list.add(new DeploymentRecord(r.getLong("platform_id"), r.getString("platform"), r.getString("account"),
                    r.getString("path"), r.getBoolean("exclusive"), DeploymentStatus.of(r.getString("status")),
                    keys == null ? List.of() : (List<String>) (List<?>) keys.getList(), r.getString("desired_content"),
                    r.getString("desired_hash"), r.getString("deployed_hash"), Timestamps.of(r, "last_attempt_at"),
                    Timestamps.of(r, "last_success_at"), r.getString("last_error"), drifted == null ? null : drifted.getMap(),
                    DeploymentHold.of(r.getString("hold")), BlockKey.fromJson(r.getJsonArray("desired_keys")),
                    Changes.fromJson(r.getJsonArray("desired_changes"))));
        });
        return list;
    }


    /** Keeps how many lines outside the block of the pair's file did not read as a key at the last read, in {@code c}'s transaction. */
    static Uni<Void> saveUnparsed(io.vertx.mutiny.sqlclient.SqlClient c, long platformId, String account, int count) {
        return c.preparedQuery("UPDATE deployments SET unmanaged_unparsed = $3 WHERE platform_id = $1 AND account = $2 "
                + "AND unmanaged_unparsed <> $3").execute(Tuple.of(platformId, account, count)).replaceWithVoid();
    }

    /** How many lines outside the block of each account of the platform did not read as a key, at the last read. */
    public Uni<Map<String, Integer>> unparsed(long platformId) {
        return pool.preparedQuery("SELECT account, unmanaged_unparsed FROM deployments WHERE platform_id = $1")
                .execute(Tuple.of(platformId)).map(rows -> {
                    Map<String, Integer> counts = new HashMap<>();
                    rows.forEach(r -> counts.put(r.getString(0), r.getInteger(1)));
                    return counts;
                });
    }

    /** {@code status} → how many deployments ((platform, account) pairs) are in it; statuses without any are absent. */
    /** The deployment states of each named platform's accounts, by platform name; platforms without any are absent. */
    public Uni<Map<String, List<DeploymentStatus>>> statusesOf(List<String> platforms) {
        if (platforms.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery("SELECT p.name, d.status FROM deployments d JOIN platform_names p ON p.id = d.platform_id "
                + "WHERE p.name = ANY($1)").execute(Tuple.of(platforms.toArray(String[]::new))).map(rows -> {
                    Map<String, List<DeploymentStatus>> statuses = new HashMap<>();
                    rows.forEach(r -> statuses.computeIfAbsent(r.getString(0), n -> new java.util.ArrayList<>())
                            .add(DeploymentStatus.of(r.getString(1))));
                    return statuses;
                });
    }

    public Uni<Map<String, Long>> countByStatus() {
        return pool.query("SELECT status, count(*) FROM deployments GROUP BY 1").execute().map(rows -> {
            Map<String, Long> counts = new HashMap<>();
            rows.forEach(r -> counts.put(r.getString(0), r.getLong(1)));
            return counts;
        });
    }
}

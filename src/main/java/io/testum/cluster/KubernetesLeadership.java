package io.testum.cluster;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.vertx.core.json.JsonObject;

/**
 * Leadership through a Kubernetes Lease ({@code coordination.k8s.io/v1}), the way client-go's
 * leader election keeps one: every {@code retry} (a fifth of the lease duration) a replica reads
 * the Lease; its holder renews it; another replica takes it over only when it is released (no
 * holder) or has not changed for a whole lease duration, measured on this replica's own clock
 * from when it last saw the Lease change, so clock skew between nodes does not matter. Every
 * write names the {@code resourceVersion} it read, so of two replicas taking over at once one gets
 * 409 and stays a follower. A leader that cannot renew within {@code renewDeadline} (two thirds of
 * the lease duration) stops leading before any other replica may take over, and goes on trying,
 * so it can lead again later. On close, a leader releases the Lease, so another takes over at once.
 */
public final class KubernetesLeadership implements Leadership, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KubernetesLeadership.class);
    public static final String LEASE = "testum-leader";
    private static final String API = "/apis/coordination.k8s.io/v1";
    private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX")
            .withZone(ZoneOffset.UTC);

    private final KubernetesApi api;
    private final String identity;
    private final Duration leaseDuration;
    private final Duration renewDeadline;
    private final Duration wait;
    private final ScheduledExecutorService timer;
    private volatile boolean leader;
    private volatile String current;
    /** What this replica last saw of the Lease, and when (System.nanoTime) it last changed. */
    private String seenVersion;
    private long seenChangeAt;
    private long renewedAt;

    public KubernetesLeadership(KubernetesApi api, String identity, Duration leaseDuration) {
        this.api = api;
        this.identity = identity;
        this.leaseDuration = leaseDuration.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : leaseDuration;
        this.renewDeadline = this.leaseDuration.multipliedBy(2).dividedBy(3);
        this.wait = renewDeadline.dividedBy(2);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "testum-leader-election");
            t.setDaemon(true);
            return t;
        });
        long retry = this.leaseDuration.dividedBy(5).toMillis();
        timer.scheduleWithFixedDelay(this::step, 0, retry, TimeUnit.MILLISECONDS);
    }

    /** One round: reads the Lease, then renews, takes over, or follows. */
    synchronized void step() {
        try {
            Optional<JsonObject> read = api.get(leasePath(), wait);
            if (read.isEmpty()) {
                write(null, 0, true);
                return;
            }
            JsonObject lease = read.get();
            JsonObject spec = lease.getJsonObject("spec", new JsonObject());
            String version = lease.getJsonObject("metadata", new JsonObject()).getString("resourceVersion");
            String holder = Optional.ofNullable(spec.getString("holderIdentity")).filter(h -> !h.isEmpty()).orElse(null);
            long now = System.nanoTime();
            if (!Objects.equals(version, seenVersion)) {
                seenVersion = version;
                seenChangeAt = now;
            }
            observe(holder);
            int transitions = spec.getInteger("leaseTransitions", 0);
            if (identity.equals(holder)) {
                write(lease, transitions, false);
            } else {
                Duration held = Duration.ofSeconds(spec.getInteger("leaseDurationSeconds", (int) leaseDuration.toSeconds()));
                if (leader) {
                    lost("the Lease names " + holder);
                }
                if (holder == null || now - seenChangeAt > held.toNanos()) {
                    write(lease, transitions + 1, true);
                }
            }
        } catch (KubernetesApi.ApiException e) {
            if (e.status() == 409) {
                LOG.debugf("%s: another replica wrote the Lease first", identity);
            } else {
                LOG.debugf("%s: Lease %s: %s", identity, LEASE, e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.warnf("%s: Lease %s: %s", identity, LEASE, e.toString());
        } finally {
            if (leader && System.nanoTime() - renewedAt > renewDeadline.toNanos()) {
                lost("the Lease was not renewed within " + renewDeadline.toMillis() + " ms");
            }
        }
    }

    /** Creates ({@code lease} null), renews, or takes over the Lease in this replica's name. */
    private void write(JsonObject lease, int transitions, boolean acquire) {
        String now = MICRO_TIME.format(Instant.now());
        JsonObject spec = lease == null ? new JsonObject() : lease.getJsonObject("spec", new JsonObject()).copy();
        spec.put("holderIdentity", identity).put("leaseDurationSeconds", (int) leaseDuration.toSeconds()).put("renewTime", now)
                .put("leaseTransitions", transitions);
        if (acquire) {
            spec.put("acquireTime", now);
        }
        if (lease == null) {
            api.create(api.path(API, "leases", null), object(null, spec), wait);
        } else {
            JsonObject written = api.replace(leasePath(), object(lease, spec), wait);
            seenVersion = written.getJsonObject("metadata", new JsonObject()).getString("resourceVersion");
        }
        seenChangeAt = System.nanoTime();
        renewedAt = seenChangeAt;
        observe(identity);
        if (!leader) {
            leader = true;
            LOG.infof("%s leads (Lease %s/%s)", identity, api.namespace(), LEASE);
        }
    }

    private String leasePath() {
        return api.path(API, "leases", LEASE);
    }

    /** The Lease to write with {@code spec}; over {@code read} (null: a new one), naming the version read. */
    private JsonObject object(JsonObject read, JsonObject spec) {
        JsonObject metadata = new JsonObject().put("name", LEASE).put("namespace", api.namespace());
        if (read != null) {
            metadata.put("resourceVersion", read.getJsonObject("metadata").getString("resourceVersion"));
        }
        return new JsonObject().put("apiVersion", "coordination.k8s.io/v1").put("kind", "Lease").put("metadata", metadata)
                .put("spec", spec);
    }

    private void observe(String holder) {
        if (!Objects.equals(holder, current)) {
            current = holder;
            LOG.debugf("%s: the Lease names %s", identity, holder);
        }
    }

    private void lost(String why) {
        if (leader) {
            leader = false;
            LOG.warnf("%s no longer leads: %s", identity, why);
        }
    }

    @Override
    public boolean isLeader() {
        return leader;
    }

    @Override
    public String mode() {
        return "kubernetes";
    }

    @Override
    public String identity() {
        return identity;
    }

    @Override
    public Optional<String> leader() {
        return Optional.ofNullable(current);
    }

    /** Stops electing; a leader releases the Lease (no holder, a one-second duration), so another takes over at once. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(wait.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (!leader) {
                return;
            }
            leader = false;
            try {
                JsonObject lease = api.get(leasePath(), wait).orElse(null);
                JsonObject spec = lease == null ? null : lease.getJsonObject("spec");
                if (spec != null && identity.equals(spec.getString("holderIdentity"))) {
                    JsonObject released = spec.copy().put("leaseDurationSeconds", 1).put("renewTime", MICRO_TIME.format(Instant.now()));
                    released.remove("holderIdentity");
                    api.replace(leasePath(), object(lease, released), wait);
                    LOG.infof("%s released the Lease %s", identity, LEASE);
                }
            } catch (RuntimeException e) {
                LOG.warnf("%s could not release the Lease %s (another replica takes over when it expires): %s", identity, LEASE,
                        e.getMessage());
            }
        }
    }
}

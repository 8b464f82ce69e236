package io.testum.deploy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.testum.alerts.AlertEvent;
import io.testum.alerts.Occurrence;
import io.testum.cluster.Leadership;
import io.testum.common.NotFoundException;
import io.testum.db.DatabaseConfig;
import io.testum.inventory.InventoryChanged;
import io.testum.keys.KeyDirectory;
import io.testum.ssh.SshConfig;

/**
 * Keeps the hosts' managed blocks in line with the inventory. A change marks the inventory
 * dirty; one loop at a time recomputes the desired blocks, stores them, and deploys exactly the
 * pairs whose block changed, one platform per connection, as many platforms at once as
 * {@code testum.ssh.max-concurrency} allows. A platform is never deployed twice at the same time.
 */
@ApplicationScoped
public class DeploymentService {

    private static final Logger LOG = Logger.getLogger(DeploymentService.class);

    private final DeploymentRepository repository;
    private final Deployer deployer;
    private final DriftConfig drift;
    private final Leadership leadership;
    private final LoginKeys loginKeys;
    private final KeyDirectory keys;
    private final UnmanagedKeyRecorder unmanaged;
    private final Event<Occurrence> alerts;
    private final AccessHistory history;
    private final ExecutorService workers;
    private final ExecutorService loop;
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Map<Long, ReentrantLock> locks = new ConcurrentHashMap<>();
    /** The changes announced since the desired state was last computed: the causes of the blocks it changes. */
    private final ConcurrentLinkedQueue<InventoryChanged.Cause> causes = new ConcurrentLinkedQueue<>();
    /** One computation of the desired state at a time, so that each announced change goes with the blocks it changed. */
    private final ReentrantLock refreshing = new ReentrantLock();
    private final Duration databaseWait;
    private volatile java.time.Instant lastExpiryCheck = java.time.Instant.EPOCH;

    public DeploymentService(DeploymentRepository repository, Deployer deployer, DriftConfig drift, SshConfig ssh,
            Leadership leadership, LoginKeys loginKeys, KeyDirectory keys, DatabaseConfig database,
            UnmanagedKeyRecorder unmanaged, AccessHistory history, Event<Occurrence> alerts) {
        this.alerts = alerts;
        this.keys = keys;
        this.unmanaged = unmanaged;
        this.history = history;
        this.leadership = leadership;
        this.loginKeys = loginKeys;
        this.repository = repository;
        this.deployer = deployer;
        this.drift = drift;
        this.workers = Executors.newFixedThreadPool(ssh.maxConcurrency(), named("testum-deploy"));
        this.loop = Executors.newSingleThreadExecutor(named("testum-deploy-loop"));
        this.databaseWait = database.waitTimeout();
    }

    @PreDestroy
    void stop() {
        loop.shutdownNow();
        workers.shutdownNow();
    }

    /** A committed change to the inventory: recompute and deploy what changed, soon, in the background. */
    void onInventoryChanged(@Observes InventoryChanged change) {
        if (change.cause() != null) {
            causes.add(change.cause());
        }
        markDirty();
    }

    /** Recompute and deploy what changed, soon, in the background. */
    private void markDirty() {
        dirty.set(true);
        if (running.compareAndSet(false, true)) {
            loop.submit(this::drain);
        }
    }

    /** Whether a background pass is running or due (an operator's view, and tests that must not race it). */
    public boolean busy() {
        return running.get() || dirty.get();
    }

    private void drain() {
        try {
            while (dirty.getAndSet(false)) {
                deploy(refresh());
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "Deploying the inventory's changes failed; the next change or the periodic check retries");
        } finally {
            running.set(false);
            if (dirty.get() && running.compareAndSet(false, true)) {
                loop.submit(this::drain);
            }
        }
    }

    /**
     * Recomputes and stores the desired blocks, each changed one with the changes announced since
     * the last computation as its causes, and ends the access history of platforms that are gone;
     * returns the pairs whose block changed.
     */
    Set<DesiredState.Pair> refresh() {
        refreshing.lock();
        List<InventoryChanged.Cause> taken = new ArrayList<>();
        try {
            for (InventoryChanged.Cause cause; (cause = causes.poll()) != null; ) {
                taken.add(cause);
            }
            DesiredState.Inventory inventory = repository.load().await().atMost(databaseWait);
            var desired = DesiredState.compute(inventory.platforms(), inventory.grants(), loginKeys.of(inventory),
                    inventory.existing());
            Set<DesiredState.Pair> changed = repository.applyDesired(desired, DesiredState.collisions(inventory.platforms()),
                    taken).await().atMost(databaseWait);
            taken.clear();
            history.platformsLeft(inventory.platforms().stream().map(DesiredState.PlatformRow::id).toList())
                    .await().atMost(databaseWait);
            return changed;
        } finally {
            // Causes of a computation that failed go with the next one.
            causes.addAll(taken);
            refreshing.unlock();
        }
    }

    private void deploy(Set<DesiredState.Pair> pairs) {
        run(repository.forPairs(pairs).await().atMost(databaseWait), false);
    }

    /**
     * Deploys every pair of one platform now and waits: the API's "deploy now". Files that already
     * hold the desired block are left alone.
     */
    public List<DeploymentRecord> deployNow(String platformName) {
        DesiredState.PlatformRow platform = repository.platform(platformName).await().atMost(databaseWait);
        if (platform == null) {
            throw new NotFoundException("platform", platformName);
        }
        refresh();
        run(repository.forPlatform(platform.id()).await().atMost(databaseWait), false);
        return repository.forPlatform(platform.id()).await().atMost(databaseWait);
    }

    /**
     * Grants that reached their {@code expires} time since the last check lose their keys now,
     * not only at the next push: every 30 s, on the leader.
     */
    @Scheduled(every = "${testum.grants.expiry-check:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expireGrants() {
        if (!leadership.isLeader()) {
            return;
        }
        java.time.Instant now = java.time.Instant.now();
        java.time.Instant since = lastExpiryCheck;
        lastExpiryCheck = now;
        List<String> expired = keys.grantsExpiredBetween(since, now).await().atMost(databaseWait);
        if (!expired.isEmpty()) {
            LOG.infof("Access grants expired: removing their keys (%s)", String.join(", ", expired));
            causes.add(InventoryChanged.Cause.expiry(expired));
            markDirty();
        }
    }

    /** Deploys the platform's pairs that are not in sync, in the background (after its host key was forgotten). */
    public void retry(long platformId) {
        loop.submit(() -> run(repository.forPlatform(platformId).await().atMost(databaseWait).stream()
                .filter(r -> r.status() != DeploymentStatus.IN_SYNC).toList(), false));
    }

    /**
     * The periodic pass: recompute, deploy what changed, retry what failed, and read back what
     * is deployed to find drift.
     */
    @Scheduled(every = "${testum.drift.interval:10m}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void periodic() {
        if (!leadership.isLeader()) {
            return;
        }
        try {
            deploy(refresh());
            run(repository.withStatus(DeploymentStatus.RETRIED).await().atMost(databaseWait), false);
            run(repository.withStatus(DeploymentStatus.DEPLOYED).await().atMost(databaseWait), true);
        } catch (RuntimeException e) {
            LOG.errorf(e, "The periodic deployment check failed");
        }
    }

    /** Runs the records, grouped by platform, in parallel; waits for all. */
    private void run(List<DeploymentRecord> records, boolean driftCheck) {
        Map<Long, List<DeploymentRecord>> byPlatform = records.stream()
                .collect(Collectors.groupingBy(DeploymentRecord::platformId, LinkedHashMap::new,
                        Collectors.toList()));
        List<Future<?>> running = new ArrayList<>();
        byPlatform.forEach((id, platformRecords) -> running.add(workers.submit(() -> one(id, platformRecords, driftCheck))));
        for (Future<?> future : running) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.errorf(e.getCause(), "A deployment failed unexpectedly");
            }
        }
    }

    private void one(long platformId, List<DeploymentRecord> records, boolean driftCheck) {
        ReentrantLock lock = locks.computeIfAbsent(platformId, id -> new ReentrantLock());
        lock.lock();
        try {
            DesiredState.PlatformRow platform = repository.platform(platformId).await().atMost(databaseWait);
            if (platform == null) {
                return;
            }
            // The records were read before the lock: another deployment may have finished them.
            List<DeploymentRecord> current = repository.forPlatform(platformId).await().atMost(databaseWait)
                    .stream().filter(r -> records.stream().anyMatch(o -> o.account().equals(r.account())))
                    .filter(r -> r.hold() == null).toList();
            if (current.isEmpty()) {
                return;
            }
            UnmanagedMode mode = repository.unmanagedMode(platformId).await().atMost(databaseWait);
            Deployer.Access access = new Deployer.Access(platform, mode);
            boolean repair = drift.action() == DriftConfig.Action.REPAIR
                    && !(driftCheck && repository.driftReportOnly(platformId).await().atMost(databaseWait));
            var outcomes = driftCheck
                    ? deployer.checkDrift(access, current, repair)
                    : deployer.deploy(access, current);
            repository.save(outcomes).await().atMost(databaseWait);
            unmanaged.record(platform.name(), mode, outcomes).await().atMost(databaseWait);
            history.record(platform, current, outcomes).await().atMost(databaseWait);
            announce(platform.name(), current, outcomes);
            outcomes.stream().filter(o -> o.status() != DeploymentStatus.IN_SYNC).forEach(o -> LOG.warnf(
                    "Deployment of %s's keys on %s: %s (%s)", o.pair().account(), platform.name(), o.status().wire(), o.error()));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Tells the alerts about each pair whose status changed with this attempt (a pair that stays
     * failed check after check is not told again; the alerts also remember what they last sent).
     */
    private void announce(String platform, List<DeploymentRecord> before, List<DeploymentRepository.Outcome> outcomes) {
        for (DeploymentRepository.Outcome o : outcomes) {
            DeploymentStatus was = before.stream().filter(r -> r.account().equals(o.pair().account())).findFirst()
                    .map(DeploymentRecord::status).orElse(null);
            AlertEvent event = alertEvent(o.status());
            if (event == null || o.status() == was) {
                continue;
            }
            String message = event == AlertEvent.DEPLOYMENT_RECOVERED
                    ? "authorized_keys of " + o.pair().account() + " on " + platform + " is in sync again"
                    : "authorized_keys of " + o.pair().account() + " on " + platform + ": " + o.status().wire()
                            + (o.error() == null ? "" : " (" + o.error() + ")");
            alerts.fire(Occurrence.of(event, "deployment:" + platform + ":" + o.pair().account(), List.of(platform), message,
                    Map.of("platform", platform, "user", o.pair().account(), "status", o.status().wire(),
                            "previous_status", was == null ? "" : was.wire())));
        }
    }

    /** The alert a deployment entering {@code status} raises; none for {@code pending}. */
    static AlertEvent alertEvent(DeploymentStatus status) {
        return switch (status) {
            case IN_SYNC -> AlertEvent.DEPLOYMENT_RECOVERED;
            case FAILED -> AlertEvent.DEPLOYMENT_FAILED;
            case DRIFTED -> AlertEvent.DEPLOYMENT_DRIFTED;
            case UNREACHABLE -> AlertEvent.DEPLOYMENT_UNREACHABLE;
            case HOST_KEY_MISMATCH -> AlertEvent.DEPLOYMENT_HOST_KEY_MISMATCH;
            case PENDING -> null;
        };
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

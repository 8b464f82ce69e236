package io.testum.runs;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.testum.alerts.AlertEvent;
import io.testum.alerts.Occurrence;
import io.testum.cluster.Identity;
import io.testum.db.DatabaseConfig;
import io.testum.deploy.PlatformConnector;
import io.testum.ssh.SshConfig;

/**
 * Executes queued runs on this replica. Every replica runs one: it claims the oldest queued run
 * with {@code FOR UPDATE SKIP LOCKED} (so two replicas never take the same run), renews the claim
 * of the runs it executes, passes cancels on, and marks failed the runs whose executor died
 * (their claim expired). A submit on this replica wakes it at once; runs submitted elsewhere are
 * found within {@code testum.runs.poll}.
 */
@ApplicationScoped
public class RunWorker {

    private static final Logger LOG = Logger.getLogger(RunWorker.class);

    private final RunRepository repository;
    private final PlatformConnector sessions;
    private final RunsConfig config;
    private final SshConfig ssh;
    private final MeterRegistry meters;
    private final String owner;
    private final Duration databaseWait;
    private final Event<Occurrence> alerts;
    private final Map<UUID, RunExecution> executing = new ConcurrentHashMap<>();
    private final AtomicInteger busy = new AtomicInteger();
    private final Object claiming = new Object();
    private ExecutorService runs;
    private Thread loop;
    private volatile boolean stopping;

    @Inject
    public RunWorker(RunRepository repository, PlatformConnector sessions, RunsConfig config, SshConfig ssh,
            MeterRegistry meters, DatabaseConfig database, Event<Occurrence> alerts) {
        this(repository, sessions, config, ssh, meters, database, Identity.current(), alerts);
    }

    /** A worker with its own name: tests start a second one to act as another replica. */
    public RunWorker(RunRepository repository, PlatformConnector sessions, RunsConfig config, SshConfig ssh,
            MeterRegistry meters, DatabaseConfig database, String owner, Event<Occurrence> alerts) {
        this.alerts = alerts;
        this.repository = repository;
        this.sessions = sessions;
        this.config = config;
        this.ssh = ssh;
        this.meters = meters;
        this.owner = owner;
        this.databaseWait = database.waitTimeout();
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    /** Starts claiming and the housekeeping loop. */
    public void start() {
        stopping = false;
        runs = Executors.newVirtualThreadPerTaskExecutor();
        loop = Thread.ofVirtual().name("run-worker-" + owner).start(this::loop);
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Stops claiming; runs in progress are ended as failed, with the reason. */
    public void stop() {
        stopping = true;
        if (loop == null) {
            return;
        }
        loop.interrupt();
        try {
            loop.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executing.values().forEach(e -> e.abort("testum stopped on " + owner + " while the run was executing"));
        runs.shutdown();
        try {
            runs.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String owner() {
        return owner;
    }

    /** Claims queued runs now instead of at the next poll. */
    public void wake() {
        if (!stopping && runs != null) {
            runs.submit(this::claim);
        }
    }

    /** Stops a run this replica executes at once; elsewhere the flag reaches its executor within a poll. */
    public void cancelLocal(UUID id) {
        RunExecution execution = executing.get(id);
        if (execution != null) {
            execution.cancel("canceled");
        }
    }

    private void loop() {
        Duration poll = config.poll();
        while (!stopping) {
            try {
                Thread.sleep(poll);
                heartbeat();
                int reaped = repository.reapExpired().await().atMost(databaseWait);
                if (reaped > 0) {
                    LOG.warnf("Marked %d run(s) failed: the replica executing them stopped renewing its claim", reaped);
                }
                claim();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!stopping) {
                    LOG.warnf("Run worker: %s", e.getMessage());
                }
            }
        }
    }

    private void heartbeat() {
        for (Map.Entry<UUID, RunExecution> entry : executing.entrySet()) {
            Boolean cancel = repository.heartbeat(entry.getKey(), owner, config.lease()).await().atMost(databaseWait);
            if (cancel == null) {
                entry.getValue().abort("the run was taken from this replica (its claim expired)");
            } else if (cancel) {
                entry.getValue().cancel("canceled");
            }
        }
    }

    private void claim() {
        synchronized (claiming) {
            while (!stopping && busy.get() < config.workers()) {
                RunRepository.Claimed run = repository.claim(owner, config.lease()).await().atMost(databaseWait);
                if (run == null) {
                    return;
                }
                busy.incrementAndGet();
                int concurrency = Math.max(1, Math.min(run.concurrency(), ssh.runSlots()));
                RunExecution execution = new RunExecution(run, owner, repository, sessions, concurrency,
                        config.maxOutputBytes(), meters, databaseWait);
                executing.put(run.id(), execution);
                runs.submit(() -> execute(run, execution));
            }
        }
    }

    /** Tells the alerts that a run failed: {@code schedule.failed} for a schedule's run, else {@code run.failed}. */
    private void announceFailure(UUID id, RunStatus status) {
        RunRepository.Failure failure;
        try {
            failure = repository.failure(id).await().atMost(databaseWait);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Run %s: could not read its failed hosts for the alerts", id);
            return;
        }
        if (failure == null) {
            return; // the run is gone (removed while it ran): nothing is left to alert about
        }
        String requester = failure.requestedBy();
        boolean scheduled = requester != null && requester.startsWith(RunService.scheduleRequester(""));
        String what = scheduled ? "Scheduled run of '" + requester.substring(RunService.scheduleRequester("").length()) + "'"
                : "Run " + id + " by " + requester;
        alerts.fire(Occurrence.of(scheduled ? AlertEvent.SCHEDULE_FAILED : AlertEvent.RUN_FAILED, "run:" + id,
                failure.failedPlatforms(), what + " " + status.label() + " on " + failure.failedPlatforms().size() + " host(s)"
                        + (failure.failedPlatforms().isEmpty() ? "" : ": " + String.join(", ", failure.failedPlatforms().stream().limit(20).toList())),
                Map.of("run", id.toString(), "status", status.label(), "requested_by", String.valueOf(requester),
                        "failed_platforms", failure.failedPlatforms())));
    }

    private void execute(RunRepository.Claimed run, RunExecution execution) {
        try {
            LOG.infof("Run %s: executing on %d host(s) as %s", run.id(), run.platforms().size(), owner);
            RunStatus status = execution.execute();
            Counter.builder("testum.runs").description("Runs finished, by status").tag("status", status.label())
                    .register(meters).increment();
            LOG.infof("Run %s: %s", run.id(), status.label());
            if (status == RunStatus.FAILED || status == RunStatus.TIMED_OUT) {
                announceFailure(run.id(), status);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "Run %s: the executor failed; its claim will expire and the run be marked failed", run.id());
        } finally {
            executing.remove(run.id());
            busy.decrementAndGet();
            wake();
        }
    }
}

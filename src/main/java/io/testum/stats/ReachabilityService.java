package io.testum.stats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.testum.cluster.Leadership;
import io.testum.common.Timestamps;
import io.testum.db.DatabaseConfig;
import io.testum.inventory.PlatformDirectory;

/**
 * Every {@code testum.reachability.interval}, on the leader: connects to every platform's SSH
 * port, reads the banner, and records {@code reachable} (with the latency) or {@code unreachable}
 * (with the reason) on the platform. {@link #checkAll()} runs the same check at once.
 */
@ApplicationScoped
public class ReachabilityService {

    private static final Logger LOG = Logger.getLogger(ReachabilityService.class);
    /** Checks at once; each holds one socket for at most the timeout. */
    static final int PARALLEL = 32;

    private final PlatformDirectory repository;
    private final ReachabilityConfig config;
    private final Leadership leadership;
    private final Duration databaseWait;

    ReachabilityService(PlatformDirectory repository, ReachabilityConfig config, Leadership leadership,
            DatabaseConfig database) {
        this.repository = repository;
        this.config = config;
        this.leadership = leadership;
        this.databaseWait = database.waitTimeout();
    }

    @Scheduled(every = "${testum.reachability.interval:60s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!leadership.isLeader()) {
            return;
        }
        try {
            checkAll();
        } catch (RuntimeException e) {
            LOG.errorf(e, "The reachability check failed; the next interval tries again");
        }
    }

    /** Checks every platform now, {@value #PARALLEL} at a time, and records the results; returns how many were checked. */
    public int checkAll() {
        List<PlatformDirectory.Target> targets = repository.targets().await().atMost(databaseWait);
        List<PlatformDirectory.Check> checks = new ArrayList<>(targets.size());
        try (ExecutorService executor = Executors.newFixedThreadPool(PARALLEL,
                Thread.ofVirtual().name("testum-reachability-", 0).factory())) {
            List<Future<PlatformDirectory.Check>> running = targets.stream()
                    .map(t -> executor.submit(() -> check(t)))
                    .toList();
            for (Future<PlatformDirectory.Check> future : running) {
                checks.add(future.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (ExecutionException e) {
            throw new IllegalStateException("A reachability check failed unexpectedly", e.getCause());
        }
        repository.record(checks).await().atMost(databaseWait);
        long down = checks.stream().filter(c -> !c.reachable()).count();
        LOG.debugf("Reachability: %d platforms checked, %d unreachable", checks.size(), down);
        return checks.size();
    }

    private PlatformDirectory.Check check(PlatformDirectory.Target target) {
        ReachabilityProbe.Result result = ReachabilityProbe.probe(target.host(), target.port(), config.timeout());
        return new PlatformDirectory.Check(target, result.reachable(), result.latencyMs(), result.error(), Timestamps.now());
    }
}

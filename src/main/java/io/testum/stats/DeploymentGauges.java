package io.testum.stats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.testum.db.DatabaseConfig;

/**
 * {@code testum_deployments{status}}: (platform, account) pairs by deployment status, counted in
 * the database every {@link #REFRESH} so a scrape never waits for a query.
 */
@ApplicationScoped
public class DeploymentGauges {

    private static final Logger LOG = Logger.getLogger(DeploymentGauges.class);
    static final Duration REFRESH = Duration.ofSeconds(15);

    private final FleetStatsService repository;
    private final Map<String, Long> counts = new ConcurrentHashMap<>();
    private final Duration databaseWait;
    private final MeterRegistry meters;
    private final List<Gauge> gauges = new ArrayList<>();
    private volatile Thread refresher;

    public DeploymentGauges(FleetStatsService repository, MeterRegistry meters, DatabaseConfig database) {
        this.repository = repository;
        this.meters = meters;
        for (String status : FleetStatsService.DEPLOYMENT_STATUSES) {
            counts.put(status, 0L);
            gauges.add(Gauge.builder("testum_deployments", counts, c -> c.getOrDefault(status, 0L))
                    .description("Deployments ((platform, account) pairs) by status").tag("status", status).register(meters));
        }
        this.databaseWait = database.waitTimeout();
    }

    void onStart(@Observes StartupEvent event) {
        refresher = Thread.ofVirtual().name("deployment-gauges").start(this::loop);
    }

    void onStop(@Observes ShutdownEvent event) {
        // The registry may outlive this bean (see SshConnector#stop).
        gauges.forEach(meters::remove);
        Thread thread = refresher;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            refresh();
            try {
                Thread.sleep(REFRESH);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Counts now. */
    public void refresh() {
        try {
            counts.putAll(repository.deployments().await().atMost(databaseWait));
        } catch (RuntimeException e) {
            LOG.debugf("Counting deployments failed: %s", e.getMessage());
        }
    }
}

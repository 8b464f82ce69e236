package io.testum.stats;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.deploy.DeploymentRecords;
import io.testum.deploy.DeploymentStatus;
import io.testum.gitops.SourceService;
import io.testum.inventory.PlatformDirectory;
import io.testum.inventory.Reachability;
import io.testum.runs.RunService;

/** Counts over the whole inventory, each asked of the feature that owns the table. */
@ApplicationScoped
public class FleetStatsService {

    static final List<String> REACHABILITY = Reachability.words();
    static final List<String> DEPLOYMENT_STATUSES = DeploymentStatus.words();
    static final List<String> RUN_STATUSES = List.of("queued", "running", "succeeded", "failed", "canceled", "timed_out");

    private final PlatformDirectory platforms;
    private final DeploymentRecords deployments;
    private final RunService runs;
    private final SourceService sources;

    public FleetStatsService(PlatformDirectory platforms, DeploymentRecords deployments, RunService runs,
            SourceService sources) {
        this.platforms = platforms;
        this.deployments = deployments;
        this.runs = runs;
        this.sources = sources;
    }

    public Uni<FleetStats> stats() {
        Uni<Map<String, Long>> reachability = platforms.countByReachability().map(c -> complete(c, REACHABILITY));
        Uni<Map<String, Long>> lastDay = runs.countByStatusLastDay().map(c -> complete(c, RUN_STATUSES));
        Uni<List<FleetStats.SourceState>> states = sources.summaries().map(list -> list.stream()
                .map(s -> new FleetStats.SourceState(s.name(), s.ready(), s.suspended(), s.reason(), s.lastFetchedRevision(),
                        s.lastAppliedRevision(), s.lastSuccessAt()))
                .toList());
        return Uni.combine().all().unis(reachability, deployments(), lastDay, states).asTuple()
                .map(t -> new FleetStats(new FleetStats.Platforms(t.getItem1().values().stream().mapToLong(Long::longValue).sum(),
                        t.getItem1()), t.getItem2(), t.getItem3(), t.getItem4(), Instant.now()));
    }

    /** Deployments ((platform, account) pairs) by status, every status present, zero when none. */
    public Uni<Map<String, Long>> deployments() {
        return deployments.countByStatus().map(c -> complete(c, DEPLOYMENT_STATUSES));
    }

    /** Every key, in order, with its count or zero; keys the owner counted beyond them follow. */
    private static Map<String, Long> complete(Map<String, Long> counted, List<String> keys) {
        Map<String, Long> counts = new LinkedHashMap<>();
        keys.forEach(k -> counts.put(k, 0L));
        counts.putAll(counted);
        return counts;
    }
}

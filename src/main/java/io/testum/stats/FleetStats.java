package io.testum.stats;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code GET /api/stats}: the fleet at a glance. */
public record FleetStats(Platforms platforms, Map<String, Long> deployments, Map<String, Long> runsLast24h,
        List<SourceState> sources, Instant collectedAt) {

    /** How many platforms there are, by reachability ({@code reachable}, {@code unreachable}, {@code unknown}). */
    public record Platforms(long total, Map<String, Long> byReachability) {
    }

    /** One GitOps source: ready or not, why, and the revisions it fetched and applied. */
    public record SourceState(String name, boolean ready, boolean suspended, String reason, String lastFetchedRevision,
            String lastAppliedRevision, Instant lastSuccessAt) {
    }
}

package io.testum.deploy;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/**
 * What other features read of deployments (pages, fleet stats, GitOps previews). The deployment
 * tables are this package's alone; nothing outside it holds their SQL.
 */
@ApplicationScoped
public class DeploymentRecords {

    private final DeploymentRepository repository;

    DeploymentRecords(DeploymentRepository repository) {
        this.repository = repository;
    }

    /** Everything the desired state is computed from, as stored now. */
    public Uni<DesiredState.Inventory> inventory() {
        return repository.load();
    }

    /** {@code status} → how many (platform, account) pairs are in it; statuses without any are absent. */
    public Uni<Map<String, Long>> countByStatus() {
        return repository.countByStatus();
    }

    /**
     * The state that speaks for each named platform in a list: the worst of its accounts' (a host key
     * mismatch, then failed, unreachable, drifted, pending, in sync); platforms without deployments are absent.
     */
    public Uni<Map<String, DeploymentStatus>> worstOf(List<String> platforms) {
        return repository.statusesOf(platforms).map(all -> {
            Map<String, DeploymentStatus> worst = new java.util.HashMap<>();
            all.forEach((name, statuses) -> worst.put(name, worst(statuses)));
            return worst;
        });
    }

    /** The worst of {@code statuses}, as {@link #worstOf(List)} ranks them; null for none. */
    static DeploymentStatus worst(List<DeploymentStatus> statuses) {
        List<DeploymentStatus> rank = List.of(DeploymentStatus.HOST_KEY_MISMATCH, DeploymentStatus.FAILED,
                DeploymentStatus.UNREACHABLE, DeploymentStatus.DRIFTED, DeploymentStatus.PENDING, DeploymentStatus.IN_SYNC);
        return statuses.stream().min(java.util.Comparator.comparingInt(rank::indexOf)).orElse(null);
    }

    /** Records not in sync, most recently tried first, at most {@code limit}. */
    public Uni<List<DeploymentRecord>> failing(int limit) {
        return repository.failing(limit);
    }

    /** The platform as deployment sees it (target, login, pinned host key), or {@code null} if unknown. */
    public Uni<DesiredState.PlatformRow> platform(String name) {
        return repository.platform(name);
    }

    /** The deployment records of one platform, one per managed account. */
    public Uni<List<DeploymentRecord>> forPlatform(long platformId) {
        return repository.forPlatform(platformId);
    }
}

package io.testum.deploy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.common.Page;
import io.testum.common.PageRequest;

/**
 * Everywhere one of testum's keys can log in now, as far as testum has seen: the (platform,
 * account) pairs whose managed block carries it and is in sync on the host, and the pairs where it
 * was found outside the block. Pairs whose block should carry it but is not (yet) in sync are listed
 * apart: whether the host holds the key there is not known.
 *
 * <p>Since when a managed pair in sync lets the key in comes from the access history (the deployment
 * records keep the last success, not the first): the start of the unbroken run of block intervals
 * holding it that ends in the one in force ({@link AccessHistory#heldSince}). For a key outside the
 * block, its first sighting is that time as testum observed it.
 */
@ApplicationScoped
public class KeyReachService {

    /** How many pairs not in sync, and how many sightings outside the blocks, {@link #of} lists at most. */
    public static final int LISTED = 100;

    private final DeploymentRepository deployments;
    private final UnmanagedKeyService unmanaged;
    private final AccessHistory history;

    KeyReachService(DeploymentRepository deployments, UnmanagedKeyService unmanaged, AccessHistory history) {
        this.deployments = deployments;
        this.unmanaged = unmanaged;
        this.history = history;
    }

    /**
     * One (platform, account) pair whose managed block carries the key.
     *
     * @param lastSuccessAt when testum last wrote or read back the block in sync (the last confirmation on the host)
     * @param since         since when the key logs in there without a break, as the access history saw it; null
     *                      when the history does not hold the block in force (not yet recorded, or pruned)
     */
    public record ManagedLogin(String platform, String user, String path, DeploymentStatus status, Instant lastSuccessAt,
            String error, Instant since) {
    }

    /**
     * @param managed   one page of the pairs in sync whose block carries the key: it logs in there now
     * @param pending   the first {@value #LISTED} pairs whose block should carry it but is not in sync, and how many there are
     * @param unmanaged the first {@value #LISTED} sightings of its fingerprint outside the managed blocks, and how many there are
     */
    public record KeyReach(Page<ManagedLogin> managed, Page<ManagedLogin> pending,
            Page<UnmanagedKeyService.UnmanagedKeyView> unmanaged) {
    }

    public Uni<KeyReach> of(String keyName, String fingerprint, PageRequest page) {
        return Uni.combine().all().unis(
                deployments.carrying(keyName, true, page.page(), page.size()).flatMap(p -> history.heldSince(fingerprint,
                        p.items().stream().map(DeploymentRecord::platform).distinct().toList())
                        .map(since -> page(p, since, page.page(), page.size()))),
                deployments.carrying(keyName, false, 0, LISTED).map(p -> page(p, Map.of(), 0, LISTED)),
                unmanaged.list(new UnmanagedKeyService.Query(fingerprint, null, List.of(), null, null), new PageRequest(0, LISTED)))
                .with(KeyReach::new);
    }

    private static Page<ManagedLogin> page(DeploymentRepository.Page found, Map<AccessHistory.PairName, Instant> since, int page,
            int size) {
        return new Page<>(found.items().stream().map(r -> new ManagedLogin(r.platform(), r.account(), r.path(), r.status(),
                r.lastSuccessAt(), r.lastError(), since.get(new AccessHistory.PairName(r.platform(), r.account())))).toList(),
                found.total(), page, size);
    }
}

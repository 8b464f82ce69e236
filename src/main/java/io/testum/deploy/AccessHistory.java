package io.testum.deploy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.inventory.InventoryChanged;
import io.testum.keys.KeyDirectory;

/**
 * Who could log in where, and when, as testum saw it on the hosts (SPEC §5, §6): for every
 * (platform, account), each managed block that was deployed, with the interval it was in force
 * (from the deployment testum proved, or the read that found it there, to the next change seen),
 * the changes behind it and its keys; each block found changed on the host ({@code drift}); and each
 * key outside the block ({@code unmanaged}) from its first sighting to the read that found it gone.
 * A failed deployment starts nothing. Nothing here is ever rewritten, only ended and, past
 * {@code testum.retention.access-history}, removed.
 */
@ApplicationScoped
public class AccessHistory {

    private final AccessHistoryRepository repository;
    private final KeyDirectory keys;
    private final LoginKeys loginKeys;

    AccessHistory(AccessHistoryRepository repository, KeyDirectory keys, LoginKeys loginKeys) {
        this.loginKeys = loginKeys;
        this.repository = repository;
        this.keys = keys;
    }

    /**
     * The query parameters of a list or export, checked.
     *
     * @param key      a key's name: as the block named it, or the key of that name in testum now (by fingerprint)
     * @param observed the kinds to keep; empty keeps all
     * @param at       intervals in force at that time; else {@code from} and {@code to} (each optional) bound a range
     */
    public record Query(String platform, String user, String key, String fingerprint, Set<Observed> observed, Instant at,
            Instant from, Instant to) {
    }

    /**
     * One interval (SPEC §6).
     *
     * @param keys       its keys; for {@code drift} and {@code unmanaged}, named after testum's key of that
     *                   fingerprint now (null when testum has none)
     * @param to         null while it is in force
     * @param lastSeenAt the last read of the host that found it in force
     * @param ended      why it ended, or null
     * @param source     the GitOps source behind the block, or {@code api}, {@code import}, {@code restore},
     *                   {@code expiry}; null for drift, unmanaged keys and blocks from before the history
     * @param revision   the Git commit behind it, for a source or an import
     * @param changes    every change behind the block, oldest first (usually one)
     */
    public record Interval(String platform, String user, Observed observed, List<BlockKey> keys, Instant from, Instant to,
            Instant lastSeenAt, IntervalEnd ended, String source, String revision, List<Change> changes) {
    }

    /**
     * A change behind a block.
     *
     * @param actor   the signed-in user, for a change made through the API or the UI (also an import or restore)
     * @param request {@code METHOD /path} of that call, as in the audit log
     * @param grants  the grants that reached their {@code expires} time, for {@code expiry}
     */
    public record Change(String source, String revision, String actor, String request, List<String> grants, Instant at) {
    }

    public Uni<Page<Interval>> list(Query query, PageRequest page) {
        return KnownKeys.load(keys, loginKeys).flatMap(known -> repository.search(filter(query, known), page.page(), page.size())
                .map(found -> found.map(s -> view(s, known))));
    }

    /** Every interval that matches, read in batches, in the order of {@link #list}. */
    public Multi<Interval> export(Query query) {
        return KnownKeys.load(keys, loginKeys).onItem().transformToMulti(known -> repository.stream(filter(query, known))
                .map(s -> view(s, known)));
    }

    /** One account's latest intervals on a platform, newest first; {@code total}: how many it has in all. */
    public record AccountHistory(String user, List<Interval> intervals, long total) {
    }

    /**
     * The history of the platform called {@code platform}, per account: the latest {@code perAccount}
     * intervals of each, newest first.
     */
    public Uni<List<AccountHistory>> timeline(String platform, int perAccount) {
        return KnownKeys.load(keys, loginKeys).flatMap(known -> repository.latest(platform, perAccount).map(latest -> {
            java.util.Map<String, List<Interval>> byAccount = new java.util.LinkedHashMap<>();
            latest.intervals().forEach(s -> byAccount.computeIfAbsent(s.account(), a -> new ArrayList<>()).add(view(s, known)));
            return byAccount.entrySet().stream().map(e -> new AccountHistory(e.getKey(), List.copyOf(e.getValue()),
                    latest.totals().getOrDefault(e.getKey(), (long) e.getValue().size()))).toList();
        }));
    }

    /** A (platform, account) pair by name. */
    public record PairName(String platform, String user) {
    }

    /**
     * Since when the key with {@code fingerprint} can log in, without a break, to each pair of the
     * named platforms whose block in force holds it: the start of the block interval in force, or
     * of the earliest of the intervals before it that followed each other with no gap and all held
     * the key (a change of the block that kept the key does not reset it). Pairs whose block in
     * force does not hold it are absent.
     */
    public Uni<java.util.Map<PairName, Instant>> heldSince(String fingerprint, List<String> platforms) {
        return repository.held(fingerprint, platforms).map(HeldSince::of);
    }

    /** Removes the intervals that ended before {@code before}, a batch at a time; returns how many. */
    public Uni<Long> deleteEndedBefore(Instant before) {
        return repository.deleteEndedBefore(before).flatMap(n -> n < AccessHistoryRepository.PRUNE_BATCH
                ? Uni.createFrom().item((long) n)
                : deleteEndedBefore(before).map(more -> more + n));
    }

    /** Adds what one platform's deployment or drift check saw to its pairs' history. */
    Uni<Void> record(DesiredState.PlatformRow platform, List<DeploymentRecord> records,
            List<DeploymentRepository.Outcome> outcomes) {
        List<AccessHistoryRepository.Attempt> attempts = new ArrayList<>();
        for (DeploymentRepository.Outcome outcome : outcomes) {
            records.stream().filter(r -> r.pair().equals(outcome.pair())).findFirst()
                    .ifPresent(r -> attempts.add(new AccessHistoryRepository.Attempt(r, outcome)));
        }
        return repository.record(platform.id(), platform.name(), attempts);
    }

    /** Ends what was in force on platforms that are no longer in the inventory. */
    Uni<Void> platformsLeft(List<Long> remaining) {
        return repository.closeAllBut(remaining.toArray(Long[]::new));
    }

    private static AccessHistoryRepository.Filter filter(Query q, KnownKeys known) {
        return new AccessHistoryRepository.Filter(q.platform(), q.user(), q.key(),
                q.key() == null ? Set.of() : known.fingerprintsOf(q.key()), q.fingerprint(), q.observed(), q.at(), q.from(),
                q.to());
    }

    private static Interval view(AccessHistoryRepository.Stored s, KnownKeys known) {
        List<BlockKey> named = s.keys().stream()
                .map(k -> k.name() != null || s.observed() == Observed.MANAGED ? k : new BlockKey(known.nameOf(k.fingerprint()),
                        k.fingerprint()))
                .sorted(BlockKey.ORDER).toList();
        return new Interval(s.platform(), s.account(), s.observed(), named, s.from(), s.to(), s.lastSeenAt(), s.ended(),
                s.source(), s.revision(), s.changes().stream().map(AccessHistory::change).toList());
    }

    private static Change change(InventoryChanged.Cause c) {
        return new Change(c.source(), c.revision(), c.actor(), c.request(), c.grants(), c.at());
    }
}

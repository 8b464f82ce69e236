package io.testum.deploy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.common.NotFoundException;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.inventory.Labels;
import io.testum.keys.KeyDirectory;

/**
 * The keys outside the managed blocks as the API shows them, with their flags:
 * <ul>
 * <li>{@code weak}: DSA of any size, or RSA under 2048 bits (what testum refuses to grant);
 * <li>{@code unknown}: not one of testum's public keys ({@code ssh_keys}, by fingerprint) nor its login key;
 * <li>{@code testum_login}: the key of the platform's credential, the one testum logs in with;
 * <li>{@code no_from}: some line of the key has no {@code from=} option, on a platform labelled
 *     {@code exposure: internet}, where any address on the internet may use it.
 * </ul>
 */
@ApplicationScoped
public class UnmanagedKeyService {

    /** The label of platforms reachable from the internet, whose unmanaged keys should carry {@code from=}. */
    public static final String EXPOSURE_LABEL = "exposure";
    public static final String EXPOSURE_INTERNET = "internet";

    private final UnmanagedKeyRepository repository;
    private final DeploymentRepository deployments;
    private final KeyDirectory keys;
    private final LoginKeys loginKeys;

    public UnmanagedKeyService(UnmanagedKeyRepository repository, DeploymentRepository deployments, KeyDirectory keys,
            LoginKeys loginKeys) {
        this.loginKeys = loginKeys;
        this.repository = repository;
        this.deployments = deployments;
        this.keys = keys;
    }

    /** One key outside a managed block (SPEC §6). */
    public record UnmanagedKeyView(String platform, String user, String type, int bits, String fingerprint, String comment,
            String options, String knownKey, List<String> flags, Instant firstSeenAt, Instant lastSeenAt) {
    }

    /**
     * What {@code settings.unmanaged: remove} would remove from the platform at its next deployment,
     * as of the last read of each file: every key outside the block but testum's login key, and
     * the lines that do not read as keys (only counted), per account; exclusive files are written
     * whole anyway and are not listed.
     *
     * @param unmanaged what the platform's source says now
     */
    public record RemovalPreview(String platform, UnmanagedMode unmanaged, List<UnmanagedKeyView> keys,
            Map<String, Integer> unparsedLines) {
    }

    /** The query parameters of a list, checked. */
    public record Query(String fingerprint, String platform, List<Labels.Filter> labels, Boolean known, Boolean weak) {
    }

    /**
     * One fingerprint seen outside the managed blocks, with how widely: {@code pairs} (platform,
     * account) pairs on {@code platforms} platforms, first and last seen anywhere, its flags (a
     * {@code no_from} of any of its sightings counts), and its first {@code sightings} (by platform and
     * account); {@code comment} is one of the comments it was seen with.
     */
    public record FingerprintGroup(String fingerprint, String type, int bits, String comment, String knownKey,
            List<String> flags, long pairs, long platforms, Instant firstSeenAt, Instant lastSeenAt,
            List<UnmanagedKeyView> sightings) {

        /** Whether more pairs carry it than {@link #sightings} lists. */
        public boolean more() {
            return pairs > sightings.size();
        }
    }

    /** How many sightings each group of {@link #groups} lists at most; the export lists them all. */
    public static final int SIGHTINGS_PER_GROUP = 50;

    /**
     * The keys outside the managed blocks that match, grouped by fingerprint, the fingerprint seen on
     * the most (platform, account) pairs first: the fleet's "keys outside Git".
     */
    public Uni<Page<FingerprintGroup>> groups(Query query, PageRequest page) {
        return known().flatMap(known -> {
            UnmanagedKeyRepository.Filter filter = filter(query, null, known.names().keySet());
            return repository.groups(filter, Map.of(EXPOSURE_LABEL, EXPOSURE_INTERNET), page.page(), page.size())
                    .flatMap(groups -> repository.sightings(filter,
                            groups.items().stream().map(UnmanagedKeyRepository.Group::fingerprint).toList(), SIGHTINGS_PER_GROUP)
                            .map(stored -> {
                                Map<String, List<UnmanagedKeyView>> byFingerprint = new LinkedHashMap<>();
                                stored.forEach(s -> byFingerprint.computeIfAbsent(s.fingerprint(), f -> new ArrayList<>())
                                        .add(view(s, known)));
                                return groups.map(g -> group(g, known, byFingerprint.getOrDefault(g.fingerprint(), List.of())));
                            }));
        });
    }

    /** What the GitOps source that manages the platform says about keys outside the block ({@code keep} for none). */
    public Uni<UnmanagedMode> mode(String name) {
        return platform(name).flatMap(p -> deployments.unmanagedMode(p.id()));
    }

    public Uni<Page<UnmanagedKeyView>> list(Query query, PageRequest page) {
        return known().flatMap(known -> repository.search(filter(query, null, known.names().keySet()), page.page(), page.size())
                .map(found -> found.map(s -> view(s, known))));
    }

    public Uni<List<UnmanagedKeyView>> export(Query query) {
        return known().flatMap(known -> repository.all(filter(query, null, known.names().keySet()))
                .map(found -> found.stream().map(s -> view(s, known)).toList()));
    }

    public Uni<Page<UnmanagedKeyView>> ofPlatform(String name, PageRequest page) {
        return platform(name).flatMap(p -> known().flatMap(known -> repository.search(
                new UnmanagedKeyRepository.Filter(null, null, p.id(), List.of(), null, Set.of(), null), page.page(), page.size())
                .map(found -> found.map(s -> view(s, known)))));
    }

    public Uni<RemovalPreview> removal(String name) {
        return platform(name).flatMap(p -> known().flatMap(known -> Uni.combine().all().unis(
                repository.all(new UnmanagedKeyRepository.Filter(null, null, p.id(), List.of(), null, Set.of(), null)),
                deployments.unparsed(p.id()), deployments.forPlatform(p.id()), deployments.unmanagedMode(p.id()))
                .with((stored, unparsed, records, mode) -> {
                    Set<String> merged = new HashSet<>();
                    records.stream().filter(r -> !r.exclusive()).forEach(r -> merged.add(r.account()));
                    String login = p.credential() == null ? null : known.credentials().get(p.credential());
                    List<UnmanagedKeyView> removed = stored.stream()
                            .filter(s -> merged.contains(s.account()) && !s.fingerprint().equals(login))
                            .map(s -> view(s, known)).toList();
                    Map<String, Integer> lines = new LinkedHashMap<>();
                    unparsed.forEach((account, count) -> {
                        if (merged.contains(account) && count > 0) {
                            lines.put(account, count);
                        }
                    });
                    return new RemovalPreview(p.name(), mode, removed, lines);
                })));
    }

    private Uni<DesiredState.PlatformRow> platform(String name) {
        return deployments.platform(name).map(p -> {
            if (p == null) {
                throw new NotFoundException("platform", name);
            }
            return p;
        });
    }

    private Uni<KnownKeys> known() {
        return KnownKeys.load(keys, loginKeys);
    }

    private static UnmanagedKeyRepository.Filter filter(Query q, Long platformId, Set<String> known) {
        return new UnmanagedKeyRepository.Filter(q.fingerprint(), q.platform(), platformId, q.labels(), q.weak(), known, q.known());
    }

    private static UnmanagedKeyView view(UnmanagedKeyRepository.Stored s, KnownKeys known) {
        return new UnmanagedKeyView(s.platform(), s.account(), s.type(), s.bits(), s.fingerprint(), s.comment(), s.options(),
                known.names().get(s.fingerprint()), flags(s.fingerprint(), s.weak(),
                        !s.hasFrom() && EXPOSURE_INTERNET.equals(s.labels().get(EXPOSURE_LABEL)), known),
                s.firstSeenAt(), s.lastSeenAt());
    }

    private static FingerprintGroup group(UnmanagedKeyRepository.Group g, KnownKeys known, List<UnmanagedKeyView> sightings) {
        return new FingerprintGroup(g.fingerprint(), g.type(), g.bits(), g.comment(), known.names().get(g.fingerprint()),
                flags(g.fingerprint(), g.weak(), g.noFrom(), known), g.pairs(), g.platforms(), g.firstSeenAt(), g.lastSeenAt(),
                List.copyOf(sightings));
    }

    private static List<String> flags(String fingerprint, boolean weak, boolean noFrom, KnownKeys known) {
        List<String> flags = new ArrayList<>();
        if (weak) {
            flags.add("weak");
        }
        if (known.isCredential(fingerprint)) {
            flags.add("testum_login");
        } else if (!known.names().containsKey(fingerprint)) {
            flags.add("unknown");
        }
        if (noFrom) {
            flags.add("no_from");
        }
        return flags;
    }
}

package io.testum.deploy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.testum.inventory.Labels;

/**
 * What every (platform, account) pair's managed block should hold, from the inventory: the keys
 * of every grant in force that reaches the platform (by name or by selector) for that account,
 * plus testum's own key when the account is the one testum logs in as, so that testum never
 * locks itself out. Pure: no I/O.
 */
public final class DesiredState {

    /** How the error of a colliding platform's deployments starts ({@link DeploymentHold#COLLISION}). */
    static final String COLLISION = "collision:";
    /** How the error of a pair that testum refuses to write starts ({@link DeploymentHold#REFUSED}). */
    static final String REFUSED = "refused:";

    private DesiredState() {
    }

    /**
     * Everything the desired state is computed from.
     *
     * @param testumKeys the public line of each key credential stored in the database, by credential name
     * @param secretRefs the Kubernetes Secret of each credential whose secret lives there, by credential name
     */
    public record Inventory(List<PlatformRow> platforms, List<GrantRow> grants,
            Map<String, String> testumKeys, Set<Pair> existing, Map<String, String> secretRefs) {
    }

    /** A platform as deployment needs it. */
    public record PlatformRow(long id, String name, String host, int port, String username, String authMethod,
            String credential, Map<String, String> labels, String path, boolean exclusive, String declaredHostKey,
            String pinnedHostKey) {

        /**
         * The key the host must present: the pin of its address; without one, the declared key. A
         * declaration never overrides a pin (a connection refuses a platform whose two disagree).
         */
        public String expectedHostKey() {
            return pinnedHostKey != null ? pinnedHostKey : declaredHostKey;
        }
    }

    /** A key of a grant. */
    public record KeyRow(String name, String publicKey) {
    }

    /** A grant in force. */
    public record GrantRow(String name, Set<Long> platformIds, Map<String, String> selector, String account, String options,
            List<KeyRow> keys) {

        boolean reaches(PlatformRow platform) {
            return platformIds.contains(platform.id()) || Labels.matches(selector, platform.labels());
        }
    }

    /** The pair a deployment record is about. */
    public record Pair(long platformId, String account) {
    }

    /**
     * The block a pair should hold.
     *
     * @param refusal why testum must not write this block (it would lock testum out), or null
     * @param lines   its keys, each with its name (testum's own as {@link #ownKeyName(String)})
     */
    public record Desired(Pair pair, String path, boolean exclusive, String block, String hash, List<String> keyNames,
            String refusal, List<ManagedBlock.Line> lines) {
    }

    /**
     * @param testumKeys the public line of each key credential, by credential name
     * @param existing   pairs with a deployment record: still managed when no grant names them any more,
     *                   so that removed keys leave the host
     */
    public static Map<Pair, Desired> compute(List<PlatformRow> platforms, List<GrantRow> grants,
            Map<String, String> testumKeys, Set<Pair> existing) {
        Map<Pair, List<ManagedBlock.Line>> lines = new LinkedHashMap<>();
        Map<Pair, List<String>> refusals = new HashMap<>();
        Map<Long, PlatformRow> byId = new HashMap<>();
        for (PlatformRow platform : platforms) {
            byId.put(platform.id(), platform);
            String own = ownKey(platform, testumKeys);
            for (GrantRow grant : grants) {
                if (!grant.reaches(platform)) {
                    continue;
                }
                String account = grant.account() == null ? platform.username() : grant.account();
                Pair pair = new Pair(platform.id(), account);
                List<ManagedBlock.Line> pairLines = lines.computeIfAbsent(pair, k -> new ArrayList<>());
                for (KeyRow key : grant.keys()) {
                    pairLines.add(new ManagedBlock.Line(key.name(), grant.options(), key.publicKey()));
                    boolean hasOptions = grant.options() != null && !grant.options().isBlank();
                    if (hasOptions && own != null && account.equals(platform.username())
                            && sameKey(own, key.publicKey())) {
                        refusals.computeIfAbsent(pair, k -> new ArrayList<>()).add("grant '" + grant.name() + "' puts options ("
                                + grant.options() + ") on key '" + key.name() + "', which is testum's own login key (credential '"
                                + platform.credential() + "')");
                    }
                }
            }
        }
        for (Pair pair : existing) {
            if (byId.containsKey(pair.platformId())) {
                lines.computeIfAbsent(pair, k -> new ArrayList<>());
            }
        }
        Map<Pair, Desired> desired = new LinkedHashMap<>();
        lines.forEach((pair, pairLines) -> {
            PlatformRow platform = byId.get(pair.platformId());
            List<ManagedBlock.Line> all = new ArrayList<>(pairLines);
            String own = ownKey(platform, testumKeys);
            if (pair.account().equals(platform.username()) && own != null) {
                all.add(new ManagedBlock.Line(ownKeyName(platform.credential()), null, own));
            }
            String block = ManagedBlock.render(all);
            List<String> names = all.stream().map(ManagedBlock.Line::keyName).distinct().sorted().toList();
            List<String> refused = refusals.get(pair);
            String refusal = refused == null ? null : REFUSED + " " + String.join("; ", refused) + ". The first line of a "
                    + "key decides how sshd treats it, so these options could lock testum out of " + platform.name()
                    + "; nothing is written until the grant drops the key or its options";
            desired.put(pair, new Desired(pair, platform.path(), platform.exclusive(), block, ManagedBlock.hash(block), names,
                    refusal, List.copyOf(all)));
        });
        return desired;
    }

    /** testum's public key on a platform that logs in with a key, or null. */
    private static String ownKey(PlatformRow platform, Map<String, String> testumKeys) {
        return "key".equals(platform.authMethod()) && platform.credential() != null ? testumKeys.get(platform.credential()) : null;
    }

    /** Whether two public key lines ({@code type base64 [comment]}) hold the same key. */
    static boolean sameKey(String a, String b) {
        String[] x = a.strip().split("\\s+");
        String[] y = b.strip().split("\\s+");
        return x.length >= 2 && y.length >= 2 && x[0].equals(y[0]) && x[1].equals(y[1]);
    }

    /** How testum's own login key is named among the keys of a block. */
    public static String ownKeyName(String credential) {
        return "testum:" + credential;
    }

    /**
     * Platforms that must not be written to: two platforms with the same host and port, or the
     * same host key, may be one machine under two names, and two owners would fight over its file.
     *
     * @return a reason for each platform that collides
     */
    public static Map<Long, String> collisions(List<PlatformRow> platforms) {
        Map<String, List<PlatformRow>> byAddress = new HashMap<>();
        Map<String, List<PlatformRow>> byHostKey = new HashMap<>();
        for (PlatformRow p : platforms) {
            byAddress.computeIfAbsent(p.host().toLowerCase(Locale.ROOT) + ":" + p.port(), k -> new ArrayList<>()).add(p);
            if (p.expectedHostKey() != null) {
                byHostKey.computeIfAbsent(p.expectedHostKey(), k -> new ArrayList<>()).add(p);
            }
        }
        Map<Long, String> reasons = new HashMap<>();
        flag(byAddress, "the same host and port", reasons);
        flag(byHostKey, "the same host key", reasons);
        return reasons;
    }

    private static void flag(Map<String, List<PlatformRow>> groups, String what, Map<Long, String> reasons) {
        groups.values().stream().filter(g -> g.size() > 1).forEach(group -> {
            List<String> names = group.stream().map(PlatformRow::name).sorted().toList();
            String named = names.size() <= 5 ? names.toString()
                    : names.subList(0, 5).toString().replace("]", ", and " + (names.size() - 5) + " more]");
            for (PlatformRow p : group) {
                reasons.merge(p.id(), COLLISION + " platforms " + named + " have " + what
                        + "; testum writes to none of them until an admin resolves it", (a, b) -> a + "; " + b);
            }
        });
    }
}

package io.testum.deploy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A key of a block, as the access history keeps it: its name (testum's own login key as
 * {@code testum:<credential>}; null when nobody in testum named it) and its {@code SHA256:}
 * fingerprint, as {@code ssh-keygen -l} prints it.
 */
public record BlockKey(String name, String fingerprint) {

    /** By name (unnamed keys last), then fingerprint. */
    static final Comparator<BlockKey> ORDER = Comparator.comparing(BlockKey::name,
            Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(BlockKey::fingerprint);

    /**
     * The keys of a block's lines, each once, by name; a line whose key does not read (none that
     * testum renders) is left out.
     *
     * @param cache fingerprints already computed, by public line (filled as it goes)
     */
    static List<BlockKey> of(List<ManagedBlock.Line> lines, Map<String, String> cache) {
        Set<BlockKey> keys = new LinkedHashSet<>();
        for (ManagedBlock.Line line : lines) {
            String fingerprint = cache.computeIfAbsent(line.publicKey(), k -> UnmanagedKeys.fingerprint(k).orElse(""));
            if (!fingerprint.isEmpty()) {
                keys.add(new BlockKey(line.keyName(), fingerprint));
            }
        }
        return sorted(keys);
    }

    /** The keys a block's text holds (a block found on a host), each once, without names. */
    static List<BlockKey> read(String block) {
        Set<BlockKey> keys = new LinkedHashSet<>();
        if (block != null) {
            block.lines().map(UnmanagedKeys::read).filter(java.util.Objects::nonNull)
                    .forEach(found -> keys.add(new BlockKey(null, found.key().fingerprint())));
        }
        return sorted(keys);
    }

    private static List<BlockKey> sorted(Set<BlockKey> keys) {
        List<BlockKey> list = new ArrayList<>(keys);
        list.sort(ORDER);
        return List.copyOf(list);
    }

    static JsonArray toJson(List<BlockKey> keys) {
        JsonArray array = new JsonArray();
        keys.forEach(k -> array.add(new JsonObject().put("name", k.name()).put("fingerprint", k.fingerprint())));
        return array;
    }

    /** The keys of a stored array; null (not computed yet) reads as none. */
    static List<BlockKey> fromJson(JsonArray array) {
        if (array == null) {
            return List.of();
        }
        List<BlockKey> keys = new ArrayList<>();
        array.forEach(o -> {
            JsonObject key = (JsonObject) o;
            keys.add(new BlockKey(key.getString("name"), key.getString("fingerprint")));
        });
        return List.copyOf(keys);
    }
}

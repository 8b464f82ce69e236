package io.testum.deploy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Since when a key has been held without a break, from the block intervals that held it (pure: no
 * I/O). An interval of a pair continues the one before it when that one ended at the very moment
 * it started: the history closes a block and opens the next at the same read or write.
 */
final class HeldSince {

    private HeldSince() {
    }

    /** @param held the intervals holding the key, by platform and account, newest first */
    static Map<AccessHistory.PairName, Instant> of(List<AccessHistoryRepository.Held> held) {
        Map<AccessHistory.PairName, Instant> since = new LinkedHashMap<>();
        AccessHistory.PairName pair = null;
        boolean unbroken = false;
        for (AccessHistoryRepository.Held h : held) {
            AccessHistory.PairName current = new AccessHistory.PairName(h.platform(), h.account());
            if (!current.equals(pair)) {
                pair = current;
                unbroken = h.to() == null;
                if (unbroken) {
                    since.put(pair, h.from());
                }
            } else if (unbroken) {
                if (h.to() != null && h.to().equals(since.get(pair))) {
                    since.put(pair, h.from());
                } else {
                    unbroken = false;
                }
            }
        }
        return since;
    }
}

package io.testum.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Since when a key logs in without a break, from the block intervals that held it (newest first per pair). */
class HeldSinceTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    private static Instant t(int hours) {
        return T0.plusSeconds(hours * 3600L);
    }

    private static AccessHistoryRepository.Held held(String platform, String account, int from, Integer to) {
        return new AccessHistoryRepository.Held(platform, account, t(from), to == null ? null : t(to));
    }

    private static AccessHistory.PairName pair(String platform, String account) {
        return new AccessHistory.PairName(platform, account);
    }

    @Test
    void startsAtTheBlockInForceWhenItIsTheOnlyOneHoldingTheKey() {
        assertThat(HeldSince.of(List.of(held("a", "deploy", 5, null)))).containsExactly(Map.entry(pair("a", "deploy"), t(5)));
    }

    @Test
    void reachesBackOverBlocksThatFollowedEachOtherWithoutAGap() {
        assertThat(HeldSince.of(List.of(held("a", "deploy", 5, null), held("a", "deploy", 3, 5), held("a", "deploy", 1, 3))))
                .containsExactly(Map.entry(pair("a", "deploy"), t(1)));
    }

    @Test
    void stopsAtAGapWhereABlockWithoutTheKeyStood() {
        assertThat(HeldSince.of(List.of(held("a", "deploy", 5, null), held("a", "deploy", 1, 4))))
                .containsExactly(Map.entry(pair("a", "deploy"), t(5)));
        assertThat(HeldSince.of(List.of(held("a", "deploy", 7, null), held("a", "deploy", 5, 7), held("a", "deploy", 1, 4))))
                .containsExactly(Map.entry(pair("a", "deploy"), t(5)));
    }

    @Test
    void leavesOutPairsWhoseBlockInForceNoLongerHoldsTheKey() {
        assertThat(HeldSince.of(List.of(held("a", "deploy", 3, 5), held("a", "deploy", 1, 3), held("b", "root", 2, null))))
                .containsExactly(Map.entry(pair("b", "root"), t(2)));
    }

    @Test
    void keepsEachPairApart() {
        assertThat(HeldSince.of(List.of(held("a", "app", 4, null), held("a", "deploy", 6, null), held("a", "deploy", 4, 6),
                held("b", "deploy", 8, null)))).containsExactly(Map.entry(pair("a", "app"), t(4)), Map.entry(pair("a", "deploy"), t(4)),
                        Map.entry(pair("b", "deploy"), t(8)));
        assertThat(HeldSince.of(List.of())).isEmpty();
    }
}

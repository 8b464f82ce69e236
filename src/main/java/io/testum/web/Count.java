package io.testum.web;

import java.util.List;
import java.util.Map;

/** How many things are in one status, for a row of badges. */
public record Count(String status, long count) {

    /** The non-zero entries of {@code counts}, in their order. */
    static List<Count> of(Map<String, Long> counts) {
        return counts.entrySet().stream().filter(e -> e.getValue() != null && e.getValue() > 0)
                .map(e -> new Count(e.getKey(), e.getValue())).toList();
    }
}

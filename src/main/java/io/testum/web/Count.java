package io.testum.web;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.quarkus.qute.TemplateData;

/** How many things are in one status, for a row of badges. */
@TemplateData
public record Count<S>(S status, long count) {

    /** The non-zero entries of {@code counts}, in their order, each word read as its status. */
    static <S> List<Count<S>> of(Map<String, Long> counts, Function<String, S> status) {
        return counts.entrySet().stream().filter(e -> e.getValue() != null && e.getValue() > 0)
                .map(e -> new Count<>(status.apply(e.getKey()), e.getValue())).toList();
    }
}

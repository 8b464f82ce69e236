package io.testum.common;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

/** Runs the two queries of a list call: the total, then one page. */
public final class Pages {

    private Pages() {
    }

    /**
     * @param countQuery  HQL whose count is the total, e.g. {@code from Platform p where ...}
     * @param selectQuery HQL of the items in order, e.g. {@code from Platform p join fetch ... order by p.name}
     */
    public static <E> Uni<Page<E>> query(PanacheRepositoryBase<E, Long> repository, String countQuery, String selectQuery,
            Parameters params, PageRequest page) {
        return repository.count(countQuery, params).flatMap(total -> repository.find(selectQuery, params)
                .page(io.quarkus.panache.common.Page.of(page.page(), page.size())).list()
                .map(items -> new Page<>(items, total, page.page(), page.size())));
    }
}

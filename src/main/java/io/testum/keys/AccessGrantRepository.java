package io.testum.keys;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Search;

@ApplicationScoped
class AccessGrantRepository implements PanacheRepositoryBase<AccessGrant, Long> {

    private static final String WITH_MEMBERS = "select distinct g from AccessGrant g left join fetch g.keys left join fetch g.platforms";

    /** The grant with its keys and platforms, or null. */
    public Uni<AccessGrant> findByName(String name) {
        // list(), not firstResult(): a row limit with collection fetches would make Hibernate page in memory.
        return find(WITH_MEMBERS + " where g.name = ?1", name).list().map(found -> found.isEmpty() ? null : found.get(0));
    }

    public Uni<Page<AccessGrant>> search(String q, PageRequest page) {
        Parameters params = new Parameters();
        String where = Search.where(q, params, "g.name", "g.description");
        return count("from AccessGrant g" + where, params).flatMap(total -> getSession()
                .flatMap(s -> {
                    var ids = s.createSelectionQuery("select g.id from AccessGrant g" + where + " order by g.name", Long.class);
                    params.map().forEach(ids::setParameter);
                    return ids.setFirstResult(page.offset()).setMaxResults(page.size()).getResultList();
                })
                .flatMap(this::withMembers)
                .map(items -> new Page<>(items, total, page.page(), page.size())));
    }

    private Uni<List<AccessGrant>> withMembers(List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return find(WITH_MEMBERS + " where g.id in ?1 order by g.name", ids).list();
    }
}

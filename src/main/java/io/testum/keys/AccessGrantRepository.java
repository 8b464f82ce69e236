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
public class AccessGrantRepository implements PanacheRepositoryBase<AccessGrant, Long> {

    private static final String WITH_MEMBERS = "select distinct g from AccessGrant g left join fetch g.keys left join fetch g.platforms";

    /** The grant with its keys and platforms, or null. */
    public Uni<AccessGrant> findByName(String name) {
        return find(WITH_MEMBERS + " where g.name = ?1", name).firstResult();
    }

    public Uni<Page<AccessGrant>> search(String q, PageRequest page) {
        String where = "";
        Parameters params = new Parameters();
        if (q != null && !q.isBlank()) {
            where = " where lower(g.name) like :q escape '\\' or lower(coalesce(g.description, '')) like :q escape '\\'";
            params.and("q", Search.likePattern(q));
        }
        String filter = where;
        return count("from AccessGrant g" + filter, params).flatMap(total -> getSession()
                .flatMap(s -> {
                    var ids = s.createSelectionQuery("select g.id from AccessGrant g" + filter + " order by g.name", Long.class);
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

package io.testum.keys;

import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Search;

@ApplicationScoped
public class CredentialRepository implements PanacheRepositoryBase<Credential, Long> {

    public Uni<Credential> findByName(String name) {
        return find("name", name).firstResult();
    }

    public Uni<Page<Credential>> search(String q, PageRequest page) {
        String where = "";
        Parameters params = new Parameters();
        if (q != null && !q.isBlank()) {
            where = " where lower(c.name) like :q escape '\\' or lower(coalesce(c.description, '')) like :q escape '\\'"
                    + " or lower(coalesce(c.fingerprint, '')) like :q escape '\\'";
            params.and("q", Search.likePattern(q));
        }
        String filter = where;
        return count("from Credential c" + filter, params)
                .flatMap(total -> find("from Credential c" + filter + " order by c.name", params)
                        .page(io.quarkus.panache.common.Page.of(page.page(), page.size())).list()
                        .map(items -> new Page<>(items, total, page.page(), page.size())));
    }

    /** Pairs of (credential name, platform name) for the platforms that log in with these credentials. */
    public Uni<List<Object[]>> platformsUsing(Collection<Long> credentialIds) {
        if (credentialIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return getSession().flatMap(s -> s.createSelectionQuery(
                "select p.credential.name, p.name from Platform p where p.credential.id in :ids order by p.name",
                Object[].class).setParameter("ids", credentialIds).getResultList());
    }
}

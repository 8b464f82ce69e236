package io.testum.keys;

import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Pages;
import io.testum.common.Search;

@ApplicationScoped
class CredentialRepository implements PanacheRepositoryBase<Credential, Long> {

    public Uni<Credential> findByName(String name) {
        return find("name", name).firstResult();
    }

    public Uni<Page<Credential>> search(String q, PageRequest page) {
        Parameters params = new Parameters();
        String where = Search.where(q, params, "c.name", "c.description", "c.fingerprint");
        return Pages.query(this, "from Credential c" + where, "from Credential c" + where + " order by c.name", params, page);
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

    /** Where an admin allows the credential named {@code name} to be used; null: anywhere. */
    public Uni<CredentialBinding> binding(String name) {
        return getSession().flatMap(s -> s.find(CredentialBinding.class, name));
    }

    /** The bindings of the credentials named, by name. */
    public Uni<java.util.Map<String, CredentialBinding>> bindings(Collection<String> names) {
        if (names.isEmpty()) {
            return Uni.createFrom().item(java.util.Map.of());
        }
        return getSession().flatMap(s -> s.createSelectionQuery("from CredentialBinding b where b.credential in :names",
                CredentialBinding.class).setParameter("names", names).getResultList())
                .map(list -> {
                    java.util.Map<String, CredentialBinding> map = new java.util.HashMap<>();
                    list.forEach(b -> map.put(b.credential, b));
                    return map;
                });
    }
}

package io.testum.inventory;

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
class PlatformRepository implements PanacheRepositoryBase<Platform, Long> {

    /** The platform with its credential, or null. */
    public Uni<Platform> findByName(String name) {
        return find("from Platform p left join fetch p.credential where p.name = ?1", name).firstResult();
    }

    public Uni<List<Platform>> findByNames(java.util.Collection<String> names) {
        return find("from Platform p left join fetch p.credential where p.name in ?1", names).list();
    }

    /**
     * Platforms whose labels carry every pair of the filters, whose text matches {@code q}, and
     * whose reachability is {@code reachability} (any when null), by name.
     */
    public Uni<Page<Platform>> search(List<Labels.Filter> labels, String q, String reachability, PageRequest page) {
        StringBuilder where = new StringBuilder(" where 1 = 1");
        Parameters params = new Parameters();
        for (int i = 0; i < labels.size(); i++) {
            Labels.Filter f = labels.get(i);
            if (f.value() == null) {
                where.append(" and function('jsonb_exists', p.labels, cast(:lk").append(i).append(" as String)) = true");
            } else {
                where.append(" and function('jsonb_contains', p.labels, function('jsonb_build_object', cast(:lk").append(i)
                        .append(" as String), cast(:lv").append(i).append(" as String))) = true");
                params.and("lv" + i, f.value());
            }
            params.and("lk" + i, f.key());
        }
        if (reachability != null) {
            where.append(" and p.reachability = :reachability");
            params.and("reachability", reachability);
        }
        String text = Search.condition(q, params, "p.name", "p.host", "p.description");
        if (!text.isEmpty()) {
            where.append(" and ").append(text);
        }
        String filter = where.toString();
        return Pages.query(this, "from Platform p" + filter, "from Platform p left join fetch p.credential" + filter
                + " order by p.name", params, page);
    }

    /** Names of the platforms that use the credential. */
    public Uni<List<String>> namesUsingCredential(long credentialId) {
        return getSession().flatMap(s -> s.createSelectionQuery(
                "select p.name from Platform p where p.credential.id = :id order by p.name", String.class)
                .setParameter("id", credentialId).getResultList());
    }

    /** Names of the grants that name the platform explicitly. */
    public Uni<List<String>> grantsNaming(long platformId) {
        return getSession().flatMap(s -> s.createSelectionQuery(
                "select g.name from AccessGrant g join g.platforms p where p.id = :id order by g.name", String.class)
                .setParameter("id", platformId).getResultList());
    }

    /** The host key pinned for {@code host:port}, or null. */
    public Uni<String> pinnedKey(String host, int port) {
        return getSession().flatMap(s -> s.createNativeQuery("SELECT fingerprint FROM host_key_pins WHERE host = ?1 AND port = ?2",
                String.class).setParameter(1, host.toLowerCase(java.util.Locale.ROOT)).setParameter(2, port)
                .getSingleResultOrNull());
    }

    /** An admin declared {@code fingerprint} for {@code host:port}: it is the pin from now on, good for passwords. */
    public Uni<Void> declarePin(String host, int port, String fingerprint, String admin) {
        return getSession().flatMap(s -> s.createNativeQuery("INSERT INTO host_key_pins (host, port, fingerprint, trusted, "
                + "origin, pinned_by) VALUES (?1, ?2, ?3, true, 'declared', ?4) ON CONFLICT (host, port) DO UPDATE SET "
                + "fingerprint = EXCLUDED.fingerprint, trusted = true, origin = 'declared', pinned_by = EXCLUDED.pinned_by, "
                + "pinned_at = now()").setParameter(1, host.toLowerCase(java.util.Locale.ROOT)).setParameter(2, port)
                .setParameter(3, fingerprint).setParameter(4, admin).executeUpdate()).replaceWithVoid();
    }
}

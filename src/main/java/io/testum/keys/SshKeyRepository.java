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
class SshKeyRepository implements PanacheRepositoryBase<SshKey, Long> {

    /** Grants that are in force now: not expired. */
    private static final String ACTIVE_GRANT = "(g.expires_at IS NULL OR g.expires_at > now())";

    public Uni<SshKey> findByName(String name) {
        return find("name", name).firstResult();
    }

    public Uni<SshKey> findByFingerprint(String fingerprint) {
        return find("fingerprint", fingerprint).firstResult();
    }

    public Uni<List<SshKey>> findByNames(Collection<String> names) {
        return list("name in ?1", names);
    }

    public Uni<Page<SshKey>> search(String q, PageRequest page) {
        Parameters params = new Parameters();
        String where = Search.where(q, params, "k.name", "k.comment", "k.description", "k.fingerprint");
        return Pages.query(this, "from SshKey k" + where, "from SshKey k" + where + " order by k.name", params, page);
    }

    /**
     * Pairs of (key name, platform name): where each key is granted by a grant in force, through
     * the grant's platform names or its selector.
     */
    public Uni<List<Object[]>> grantedPlatforms(Collection<Long> keyIds) {
        if (keyIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String sql = "SELECT DISTINCT k.name, p.name FROM ssh_keys k"
                + " JOIN access_grant_keys gk ON gk.key_id = k.id"
                + " JOIN access_grants g ON g.id = gk.grant_id AND " + ACTIVE_GRANT
                + " JOIN platform_names p ON p.id IN (SELECT gp.platform_id FROM access_grant_platforms gp WHERE gp.grant_id = g.id)"
                + "   OR (g.selector IS NOT NULL AND g.selector <> '{}'::jsonb AND p.labels @> g.selector)"
                + " WHERE k.id IN (:ids) ORDER BY k.name, p.name";
        return getSession().flatMap(s -> s.createNativeQuery(sql, Object[].class).setParameter("ids", keyIds).getResultList());
    }

    /** Names of the grants that include the key. */
    public Uni<List<String>> grantsIncluding(long keyId) {
        return getSession().flatMap(s -> s.createSelectionQuery(
                "select g.name from AccessGrant g join g.keys k where k.id = :id order by g.name", String.class)
                .setParameter("id", keyId).getResultList());
    }
}

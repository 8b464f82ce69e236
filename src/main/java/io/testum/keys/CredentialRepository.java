package io.testum.keys;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Pages;
import io.testum.common.Rows;
import io.testum.common.Search;
import io.testum.common.Timestamps;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
class CredentialRepository {

    private static final String BINDING_COLUMNS = "credential, rule, updated_by, updated_at";

    private final Pool pool;

    CredentialRepository(Pool pool) {
        this.pool = pool;
    }

    /** The credential named, or null. */
    Uni<Credential> findByName(SqlClient c, String name) {
        return c.preparedQuery("SELECT " + Credential.COLUMNS + " FROM credentials WHERE name = $1").execute(Tuple.of(name))
                .map(rows -> Rows.first(rows, Credential::of));
    }

    /** The credential that belongs to the platform (sent inline with it), or null. */
    Uni<Credential> findByOwner(SqlClient c, long platformId) {
        return c.preparedQuery("SELECT " + Credential.COLUMNS + " FROM credentials WHERE owner_platform_id = $1")
                .execute(Tuple.of(platformId)).map(rows -> Rows.first(rows, Credential::of));
    }

    /** The credentials whose text matches {@code q}, by name. */
    Uni<Page<Credential>> search(String q, PageRequest page) {
        List<Object> params = new ArrayList<>();
        String where = Search.where(q, params, "name", "description", "fingerprint");
        return Pages.sql(pool, Credential.COLUMNS, " FROM credentials" + where, "name", params, page.page(), page.size(),
                rows -> Rows.list(rows, Credential::of));
    }

    /** Where an admin allows the credential named {@code name} to be used; null: anywhere. */
    Uni<CredentialBinding> binding(SqlClient c, String name) {
        return c.preparedQuery("SELECT " + BINDING_COLUMNS + " FROM credential_bindings WHERE credential = $1")
                .execute(Tuple.of(name)).map(rows -> Rows.first(rows, CredentialBinding::of));
    }

    /** The bindings of the credentials named, by name. */
    Uni<Map<String, CredentialBinding>> bindings(SqlClient c, Collection<String> names) {
        if (names.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return c.preparedQuery("SELECT " + BINDING_COLUMNS + " FROM credential_bindings WHERE credential = ANY($1)")
                .execute(Tuple.of((Object) names.toArray(String[]::new)))
                .map(rows -> Rows.map(rows, r -> r.getString("credential"), CredentialBinding::of));
    }

    /** Stores the binding, replacing the one of its credential. */
    Uni<Void> saveBinding(SqlClient c, CredentialBinding b) {
        return c.preparedQuery("INSERT INTO credential_bindings (" + BINDING_COLUMNS + ") VALUES ($1, $2, $3, $4) "
                + "ON CONFLICT (credential) DO UPDATE SET rule = EXCLUDED.rule, updated_by = EXCLUDED.updated_by, "
                + "updated_at = EXCLUDED.updated_at")
                .execute(Tuple.of(b.credential(), b.rule(), b.updatedBy(), Timestamps.utc(b.updatedAt()))).replaceWithVoid();
    }

    /** Removes the binding of the credential named: it may serve any platform again. */
    Uni<Void> deleteBinding(SqlClient c, String name) {
        return c.preparedQuery("DELETE FROM credential_bindings WHERE credential = $1").execute(Tuple.of(name)).replaceWithVoid();
    }
}

package io.testum.keys;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.common.Source;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Keys, credentials and access grants as other features read and change them, in SQL. Methods
 * that take a {@link SqlClient} run in the caller's transaction, so a change that spans several
 * owners (deleting a GitOps source) is still one transaction.
 */
@ApplicationScoped
public class KeyDirectory {

    private final Pool pool;

    KeyDirectory(Pool pool) {
        this.pool = pool;
    }

    /** Whether a credential named {@code name} exists. */
    public Uni<Boolean> credentialExists(String name) {
        return pool.preparedQuery("SELECT 1 FROM credentials WHERE name = $1").execute(Tuple.of(name))
                .map(rows -> rows.iterator().hasNext());
    }

    /** Within {@code c}: the keys, credentials and grants that {@code source} manages become API-managed. */
    public Uni<Void> handOverToApi(SqlClient c, String source) {
        return c.preparedQuery("UPDATE ssh_keys SET source = $2 WHERE source = $1").execute(Tuple.of(source, Source.API))
                .flatMap(x -> c.preparedQuery("UPDATE credentials SET source = $2 WHERE source = $1")
                        .execute(Tuple.of(source, Source.API)))
                .flatMap(x -> c.preparedQuery("UPDATE access_grants SET source = $2 WHERE source = $1")
                        .execute(Tuple.of(source, Source.API)))
                .replaceWithVoid();
    }
}

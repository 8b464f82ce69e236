package io.testum.secrets;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Values the service keeps for itself, one per key ({@code app_state}): the token signing key and
 * the master-key check. The callers seal what they store; this class only keeps it. The first
 * value stored under a key stays: replicas that start together agree on one.
 */
@ApplicationScoped
public class SealedState {

    private final Pool pool;

    public SealedState(Pool pool) {
        this.pool = pool;
    }

    /** The value stored under {@code key}, if any. */
    public Uni<Optional<byte[]>> read(String key) {
        return pool.preparedQuery("SELECT value FROM app_state WHERE key = $1").execute(Tuple.of(key))
                .map(rows -> rows.iterator().hasNext()
                        ? Optional.of(rows.iterator().next().getBuffer("value").getBytes())
                        : Optional.empty());
    }

    /** Stores {@code value} under {@code key} unless a value is there already; answers the value in force. */
    public Uni<byte[]> storeIfAbsent(String key, byte[] value) {
        return pool.preparedQuery("INSERT INTO app_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
                .execute(Tuple.of(key, value)).chain(() -> read(key)).map(Optional::orElseThrow);
    }
}

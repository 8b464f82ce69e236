package io.testum.auth;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Search;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Users, sessions and API tokens in SQL. */
@ApplicationScoped
class UserRepository {

    private static final String COLUMNS = "id, username, password_hash, role, enabled, created_at, updated_at, last_login_at";

    private final Pool pool;

    UserRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<User> find(String username) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE username = $1").execute(Tuple.of(username))
                .map(rows -> rows.iterator().hasNext() ? user(rows.iterator().next()) : null);
    }

    public Uni<Page<User>> list(String q, PageRequest page) {
        String where = q == null || q.isBlank() ? "" : " WHERE lower(username) LIKE $3 ESCAPE '\\'";
        Tuple params = Tuple.of(page.size(), page.offset());
        if (!where.isEmpty()) {
            params.addString(Search.likePattern(q));
        }
        Tuple countParams = where.isEmpty() ? Tuple.tuple() : Tuple.of(Search.likePattern(q));
        String countWhere = where.replace("$3", "$1");
        return pool.preparedQuery("SELECT count(*) FROM users" + countWhere).execute(countParams)
                .map(rows -> rows.iterator().next().getLong(0))
                .flatMap(total -> pool.preparedQuery("SELECT " + COLUMNS + " FROM users" + where
                        + " ORDER BY username LIMIT $1 OFFSET $2").execute(params)
                        .map(rows -> {
                            List<User> users = new java.util.ArrayList<>();
                            rows.forEach(row -> users.add(user(row)));
                            return new Page<>(users, total, page.page(), page.size());
                        }));
    }

    public Uni<User> insert(SqlClient client, String username, String passwordHash, Role role, boolean enabled) {
        return client.preparedQuery("INSERT INTO users (username, password_hash, role, enabled) VALUES ($1, $2, $3, $4) "
                + "RETURNING " + COLUMNS).execute(Tuple.of(username, passwordHash, role.label(), enabled))
                .map(rows -> user(rows.iterator().next()));
    }

    public Uni<User> update(SqlClient client, long id, String passwordHash, Role role, boolean enabled) {
        return client.preparedQuery("UPDATE users SET password_hash = $2, role = $3, enabled = $4, updated_at = now() "
                + "WHERE id = $1 RETURNING " + COLUMNS).execute(Tuple.of(id, passwordHash, role.label(), enabled))
                .map(rows -> user(rows.iterator().next()));
    }

    public Uni<Void> delete(SqlClient client, long id) {
        return client.preparedQuery("DELETE FROM users WHERE id = $1").execute(Tuple.of(id)).replaceWithVoid();
    }

    /** Enabled admins other than {@code exceptId}, counted while holding a lock on the admins' rows. */
    public Uni<Long> otherEnabledAdmins(SqlClient client, long exceptId) {
        return client.preparedQuery("SELECT id FROM users WHERE role = 'admin' AND enabled AND id <> $1 FOR UPDATE")
                .execute(Tuple.of(exceptId)).map(rows -> (long) rows.size());
    }

    public Uni<Void> recordLogin(long id) {
        return pool.preparedQuery("UPDATE users SET last_login_at = now() WHERE id = $1").execute(Tuple.of(id)).replaceWithVoid();
    }

    /** Ends every session and API token of the user at once. */
    public Uni<Void> revokeEverything(SqlClient client, long userId, String reason) {
        return client.preparedQuery("UPDATE auth_sessions SET revoked_at = now(), revoked_reason = $2 "
                + "WHERE user_id = $1 AND revoked_at IS NULL").execute(Tuple.of(userId, reason))
                .flatMap(ignored -> client.preparedQuery("UPDATE api_tokens SET revoked_at = now() "
                        + "WHERE user_id = $1 AND revoked_at IS NULL").execute(Tuple.of(userId)))
                .replaceWithVoid();
    }

    static User user(Row row) {
        return new User(row.getLong("id"), row.getString("username"), row.getString("password_hash"),
                Role.ofLabel(row.getString("role")).orElseThrow(), row.getBoolean("enabled"),
                instant(row.getOffsetDateTime("created_at")), instant(row.getOffsetDateTime("updated_at")),
                instant(row.getOffsetDateTime("last_login_at")));
    }

    static java.time.Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    static OffsetDateTime offset(java.time.Instant time) {
        return time == null ? null : time.atOffset(ZoneOffset.UTC);
    }
}

package io.testum.auth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;
import io.testum.common.ForbiddenException;
import io.testum.common.NotFoundException;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Violations;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * API tokens for automation. The token is shown once, at creation; only its hash is stored. A
 * token acts as its owner with at most the role it was given, and dies with its owner's access.
 */
@ApplicationScoped
public class ApiTokenService {

    static final int DEFAULT_DAYS = 90;
    static final int MAX_DAYS = 3650;
    /** Recording every use would write on every request; once a minute is enough to see a token live. */
    private static final String LAST_USE_RESOLUTION = "1 minute";

    private final Pool pool;

    public ApiTokenService(Pool pool) {
        this.pool = pool;
    }

    /** A token as listed: never the token itself. */
    public record View(long id, String name, String role, String owner, Instant createdAt, Instant expiresAt,
            Instant lastUsedAt, boolean revoked) {
    }

    /** A new token: the only time the token text is shown. */
    public record Created(long id, String name, String role, String owner, Instant createdAt, Instant expiresAt,
            String token) {

        @Override
        public String toString() {
            return "Created[" + id + ", " + name + ", token=***]";
        }
    }

    /** What an admin asks for. */
    public record Request(String name, String role, Integer expiresInDays) {
    }

    public Uni<Created> create(Caller creator, Request request) {
        Violations v = new Violations();
        if (v.required(request.name(), "name")) {
            v.check(request.name().length() <= 100, "name", "must be at most 100 characters");
        }
        Role role = null;
        if (v.required(request.role(), "role")) {
            role = Role.ofLabel(request.role()).orElse(null);
            v.check(role != null, "role", "must be viewer, operator or admin");
        }
        int days = request.expiresInDays() == null ? DEFAULT_DAYS : request.expiresInDays();
        v.check(days >= 1 && days <= MAX_DAYS, "expires_in_days", "must be between 1 and " + MAX_DAYS);
        v.throwIfAny();
        if (!creator.role().includes(role)) {
            throw new ForbiddenException("A " + creator.role().label() + " cannot create a token with role " + role.label());
        }
        String token = OpaqueTokens.newToken(OpaqueTokens.API_PREFIX);
        return pool.preparedQuery("INSERT INTO api_tokens (name, token_hash, role, user_id, expires_at) "
                + "SELECT $1, $2, $3, u.id, now() + make_interval(days => $4) FROM users u WHERE u.username = $5 "
                + "RETURNING id, created_at, expires_at")
                .execute(Tuple.of(request.name(), OpaqueTokens.hash(token), role.label(), days, creator.username()))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Created(row.getLong("id"), request.name(), request.role(), creator.username(),
                            UserRepository.instant(row.getOffsetDateTime("created_at")),
                            UserRepository.instant(row.getOffsetDateTime("expires_at")), token);
                });
    }

    public Uni<Page<View>> list(PageRequest page) {
        return pool.query("SELECT count(*) FROM api_tokens").execute()
                .map(rows -> rows.iterator().next().getLong(0))
                .flatMap(total -> pool.preparedQuery("SELECT t.id, t.name, t.role, u.username, t.created_at, t.expires_at, "
                        + "t.last_used_at, t.revoked_at IS NOT NULL AS revoked FROM api_tokens t JOIN users u ON u.id = t.user_id "
                        + "ORDER BY t.id LIMIT $1 OFFSET $2").execute(Tuple.of(page.size(), page.offset()))
                        .map(rows -> {
                            List<View> views = new ArrayList<>();
                            rows.forEach(r -> views.add(new View(r.getLong("id"), r.getString("name"), r.getString("role"),
                                    r.getString("username"), UserRepository.instant(r.getOffsetDateTime("created_at")),
                                    UserRepository.instant(r.getOffsetDateTime("expires_at")),
                                    UserRepository.instant(r.getOffsetDateTime("last_used_at")), r.getBoolean("revoked"))));
                            return new Page<>(views, total, page.page(), page.size());
                        }));
    }

    /** Revokes at once; revoking a revoked token is not an error. */
    public Uni<Void> revoke(long id) {
        return pool.preparedQuery("UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new NotFoundException("API token", Long.toString(id));
                    }
                    return null;
                });
    }

    private static final String TOKEN_QUERY = "SELECT t.id, t.role AS token_role, "
            + "t.revoked_at IS NULL AND t.expires_at > now() AS valid, u.username, u.role AS user_role, u.enabled "
            + "FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE ";

    /** The role token {@code id} acts with now, or empty when it is revoked or expired, or its owner disabled. */
    Uni<Optional<Role>> currentRole(long id) {
        return pool.preparedQuery(TOKEN_QUERY + "t.id = $1").execute(Tuple.of(id)).map(rows -> {
            if (!rows.iterator().hasNext()) {
                return Optional.<Role>empty();
            }
            Row row = rows.iterator().next();
            return row.getBoolean("valid") && row.getBoolean("enabled") ? Optional.of(effectiveRole(row))
                    : Optional.<Role>empty();
        });
    }

    /** The lower of the token's role and its owner's current one. */
    private static Role effectiveRole(Row row) {
        Role tokenRole = Role.ofLabel(row.getString("token_role")).orElseThrow();
        Role userRole = Role.ofLabel(row.getString("user_role")).orElseThrow();
        return userRole.includes(tokenRole) ? tokenRole : userRole;
    }

    Uni<Caller> authenticate(String token) {
        return pool.preparedQuery(TOKEN_QUERY + "t.token_hash = $1").execute(Tuple.of(OpaqueTokens.hash(token)))
                .flatMap(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw new AuthenticationFailedException("unknown API token");
                    }
                    Row row = rows.iterator().next();
                    if (!row.getBoolean("valid") || !row.getBoolean("enabled")) {
                        throw new AuthenticationFailedException("the API token is revoked or expired, or its owner is disabled");
                    }
                    Role effective = effectiveRole(row);
                    long id = row.getLong("id");
                    return pool.preparedQuery("UPDATE api_tokens SET last_used_at = now() WHERE id = $1 "
                            + "AND (last_used_at IS NULL OR last_used_at < now() - interval '" + LAST_USE_RESOLUTION + "')")
                            .execute(Tuple.of(id))
                            .map(x -> new Caller(row.getString("username"), effective, null, id));
                });
    }
}

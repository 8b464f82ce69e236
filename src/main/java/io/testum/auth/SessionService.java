package io.testum.auth;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.testum.common.UnauthorizedException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Login, refresh and logout. A login opens a session; its refresh tokens rotate on every use,
 * and presenting one that was already used revokes the whole session (someone copied it). A
 * session ends when it has been idle for the refresh-token lifetime, and at the latest
 * {@code testum.auth.session-lifetime} after its login, however often it was refreshed.
 */
@ApplicationScoped
public class SessionService {

    private static final Logger LOG = Logger.getLogger(SessionService.class);
    static final String BAD_CREDENTIALS = "Invalid user name or password";
    /** Checked when the user does not exist, so that the answer takes as long as for a real user. */
    private static final String DECOY_HASH = BcryptUtil.bcryptHash("testum-decoy-password");

    private final Pool pool;
    private final UserRepository users;
    private final LoginThrottle throttle;
    private final AccessTokens accessTokens;
    private final Duration refreshLifetime;
    private final Duration sessionLifetime;

    public SessionService(Pool pool, UserRepository users, LoginThrottle throttle, AccessTokens accessTokens,
            AuthConfig config) {
        this.pool = pool;
        this.users = users;
        this.throttle = throttle;
        this.accessTokens = accessTokens;
        this.refreshLifetime = config.refreshTokenLifetime();
        this.sessionLifetime = config.sessionLifetime();
    }

    /**
     * Checks the password and opens a session. The attempt is counted by the throttle before the
     * password is checked (429 when it must wait), so parallel guesses cannot outrun the count.
     */
    public Uni<Session> login(String username, String password, String clientAddress) {
        return throttle.claim(username, clientAddress).flatMap(attempt ->
                (username == null || username.isBlank() ? Uni.createFrom().<User>nullItem() : users.find(username))
                        .flatMap(user -> VertxContextSupport.executeBlocking(() -> matches(user, password))
                                .flatMap(valid -> {
                                    if (!valid) {
                                        return Uni.createFrom().failure(new UnauthorizedException(BAD_CREDENTIALS));
                                    }
                                    return throttle.succeeded(attempt)
                                            .flatMap(x -> users.recordLogin(user.id()))
                                            .flatMap(x -> pool.withTransaction(c -> open(c, user, clientAddress)));
                                })));
    }

    private static boolean matches(User user, String password) {
        boolean known = user != null;
        boolean match = BcryptUtil.matches(password == null ? "" : password, known ? user.passwordHash() : DECOY_HASH);
        return known && match && user.enabled();
    }

    public Uni<Session> refresh(String refreshToken) {
        if (refreshToken == null || !refreshToken.startsWith(OpaqueTokens.REFRESH_PREFIX)) {
            return Uni.createFrom().failure(new UnauthorizedException("A refresh token (tsr_...) is required"));
        }
        byte[] hash = OpaqueTokens.hash(refreshToken);
        return pool.withTransaction(c -> c.preparedQuery("SELECT r.id, r.used_at, r.expires_at < now() AS expired, "
                + "(s.expires_at <= now() OR s.created_at + make_interval(secs => $2) <= now()) AS session_expired, "
                + "s.id AS session_id, s.revoked_at, u.id AS user_id, u.username, u.role, u.enabled "
                + "FROM refresh_tokens r JOIN auth_sessions s ON s.id = r.session_id JOIN users u ON u.id = s.user_id "
                + "WHERE r.token_hash = $1 FOR UPDATE OF r, s").execute(Tuple.of(hash, seconds(sessionLifetime)))
                .flatMap(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw new UnauthorizedException("Unknown refresh token");
                    }
                    Row row = rows.iterator().next();
                    UUID session = row.getUUID("session_id");
                    if (row.getValue("revoked_at") != null) {
                        throw new UnauthorizedException("The session of this refresh token has ended; log in again");
                    }
                    if (row.getValue("used_at") != null) {
                        LOG.warnf("A used refresh token of user '%s' came back: session %s revoked", row.getString("username"),
                                session);
                        // The revocation must commit, so the transaction ends normally and the caller fails after it.
                        return revoke(c, session, "refresh token reused").replaceWith((Session) null);
                    }
                    if (row.getBoolean("session_expired")) {
                        throw new UnauthorizedException("The session has expired; log in again");
                    }
                    if (row.getBoolean("expired") || !row.getBoolean("enabled")) {
                        throw new UnauthorizedException("The refresh token has expired or its user is disabled; log in again");
                    }
                    Role role = Role.ofLabel(row.getString("role")).orElseThrow();
                    return c.preparedQuery("UPDATE refresh_tokens SET used_at = now() WHERE id = $1")
                            .execute(Tuple.of(row.getLong("id")))
                            .flatMap(x -> issue(c, session, row.getString("username"), role));
                }))
                .map(session -> {
                    if (session == null) {
                        throw new UnauthorizedException("This refresh token was already used; its session is revoked. "
                                + "Log in again");
                    }
                    return session;
                });
    }

    /** Ends the session: its refresh tokens stop working, and so do its access tokens. */
    public Uni<Void> logout(UUID session) {
        return session == null ? Uni.createFrom().voidItem() : pool.withTransaction(c -> revoke(c, session, "logout"));
    }

    /** The session behind a refresh token, for a logout that only has the cookie. */
    public Uni<UUID> sessionOf(String refreshToken) {
        if (refreshToken == null) {
            return Uni.createFrom().nullItem();
        }
        return pool.preparedQuery("SELECT session_id FROM refresh_tokens WHERE token_hash = $1")
                .execute(Tuple.of(OpaqueTokens.hash(refreshToken)))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getUUID(0) : null);
    }

    private Uni<Session> open(SqlClient c, User user, String clientAddress) {
        UUID session = UUID.randomUUID();
        return c.preparedQuery("INSERT INTO auth_sessions (id, user_id, created_at, expires_at, client_address) "
                + "VALUES ($1, $2, now(), now(), $3)")
                .execute(Tuple.of(session, user.id(), clientAddress))
                .flatMap(x -> issue(c, session, user.username(), user.role()));
    }

    /**
     * A new refresh token and access token; the session's expiry moves to a refresh-token lifetime
     * from now, but never past the session's lifetime from its login.
     */
    private Uni<Session> issue(SqlClient c, UUID session, String username, Role role) {
        String refreshToken = OpaqueTokens.newToken(OpaqueTokens.REFRESH_PREFIX);
        return c.preparedQuery("UPDATE auth_sessions SET expires_at = least(now() + make_interval(secs => $2), "
                + "created_at + make_interval(secs => $3)) WHERE id = $1 "
                + "RETURNING expires_at, greatest(ceil(extract(epoch FROM expires_at - now())), 0)::bigint AS remaining")
                .execute(Tuple.of(session, seconds(refreshLifetime), seconds(sessionLifetime)))
                .flatMap(rows -> {
                    Row row = rows.iterator().next();
                    long remaining = row.getLong("remaining");
                    return c.preparedQuery("INSERT INTO refresh_tokens (session_id, token_hash, expires_at) VALUES ($1, $2, $3)")
                            .execute(Tuple.of(session, OpaqueTokens.hash(refreshToken), row.getOffsetDateTime("expires_at")))
                            .map(x -> new Session(accessTokens.issue(username, role, session), refreshToken,
                                    Math.min(accessTokens.lifetimeSeconds(), remaining), remaining));
                });
    }

    private static Uni<Void> revoke(SqlClient c, UUID session, String reason) {
        return c.preparedQuery("UPDATE auth_sessions SET revoked_at = now(), revoked_reason = $2 "
                + "WHERE id = $1 AND revoked_at IS NULL").execute(Tuple.of(session, reason)).replaceWithVoid();
    }

    /** Seconds, as {@code make_interval(secs => ...)} takes them. */
    static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    /** Removes sessions revoked or expired before {@code before}, and their refresh tokens (retention); answers how many. */
    public Uni<Integer> deleteEndedBefore(Instant before) {
        return pool.preparedQuery("DELETE FROM auth_sessions WHERE expires_at < $1 OR revoked_at < $1")
                .execute(Tuple.of(before.atOffset(ZoneOffset.UTC))).map(rows -> rows.rowCount());
    }
}

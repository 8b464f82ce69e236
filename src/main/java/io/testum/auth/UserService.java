package io.testum.auth;

import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.testum.common.ConflictException;
import io.testum.common.NotFoundException;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Violations;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Users, managed by admins. Disabling or deleting a user ends its sessions and API tokens at
 * once; a new password ends its sessions. The last enabled admin cannot be removed, disabled or
 * demoted, so testum always has someone who can manage it.
 */
@ApplicationScoped
public class UserService {

    public static final int MIN_PASSWORD = 12;
    static final int MAX_PASSWORD = 1024;
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");

    private final Pool pool;
    private final UserRepository users;

    public UserService(Pool pool, UserRepository users) {
        this.pool = pool;
        this.users = users;
    }

    /** A user as the API shows it: never the password hash. */
    public record View(String username, String role, boolean enabled, java.time.Instant createdAt,
            java.time.Instant updatedAt, java.time.Instant lastLoginAt) {

        static View of(User u) {
            return new View(u.username(), u.role().label(), u.enabled(), u.createdAt(), u.updatedAt(), u.lastLoginAt());
        }
    }

    /** What an admin sends; on update every field is optional and an absent one stays as it is. */
    public record Request(String username, String password, String role, Boolean enabled) {

        @Override
        public String toString() {
            return "Request[" + username + ", password=" + (password == null ? "absent" : "***") + ", " + role + "]";
        }
    }

    public Uni<Page<View>> list(String q, PageRequest page) {
        return users.list(q, page).map(p -> p.map(View::of));
    }

    public Uni<View> get(String username) {
        return require(username).map(View::of);
    }

    public Uni<View> create(Request request) {
        Violations v = new Violations();
        if (v.required(request.username(), "username")) {
            v.check(USERNAME.matcher(request.username()).matches(), "username",
                    "must be 1 to 64 characters of a-z, 0-9, '.', '_', '@' and '-', starting with a letter or digit");
            v.check(!"me".equals(request.username()), "username", "'me' is reserved for GET /api/users/me");
        }
        if (v.required(request.password(), "password")) {
            checkPassword(request.password(), v);
        }
        Role role = role(request.role(), v, true);
        v.throwIfAny();
        return users.find(request.username()).flatMap(existing -> {
            if (existing != null) {
                throw new ConflictException("user '" + request.username() + "' already exists");
            }
            return hash(request.password());
        }).flatMap(hash -> users.insert(pool, request.username(), hash, role,
                request.enabled() == null || request.enabled())).map(View::of);
    }

    public Uni<View> update(String username, Request request) {
        Violations v = new Violations();
        v.check(request.username() == null || request.username().equals(username), "username",
                "is '" + request.username() + "' but the path names '" + username + "'; users cannot be renamed");
        if (request.password() != null) {
            checkPassword(request.password(), v);
        }
        Role newRole = role(request.role(), v, false);
        v.throwIfAny();
        Uni<String> newHash = request.password() == null ? Uni.createFrom().nullItem() : hash(request.password());
        return newHash.flatMap(hash -> pool.withTransaction(c -> users.find(username).map(NotFoundException.ifMissing("user",
                username)).flatMap(user -> {
                    Role role = newRole == null ? user.role() : newRole;
                    boolean enabled = request.enabled() == null ? user.enabled() : request.enabled();
                    boolean losesAdmin = user.role() == Role.ADMIN && user.enabled() && (role != Role.ADMIN || !enabled);
                    return keepAnAdmin(c, user, losesAdmin, enabled ? "demote" : "disable")
                            .flatMap(x -> users.update(c, user.id(), hash == null ? user.passwordHash() : hash, role, enabled))
                            .flatMap(updated -> {
                                if (!enabled && user.enabled()) {
                                    return users.revokeEverything(c, user.id(), "user disabled").replaceWith(updated);
                                }
                                if (hash != null) {
                                    return revokeSessions(c, user.id()).replaceWith(updated);
                                }
                                return Uni.createFrom().item(updated);
                            });
                }))).map(View::of);
    }

    public Uni<Void> delete(String username) {
        return pool.withTransaction(c -> users.find(username).map(NotFoundException.ifMissing("user", username))
                .flatMap(user -> keepAnAdmin(c, user, user.role() == Role.ADMIN && user.enabled(), "delete")
                        .flatMap(x -> users.revokeEverything(c, user.id(), "user deleted"))
                        .flatMap(x -> users.delete(c, user.id()))));
    }

    public Uni<User> require(String username) {
        return users.find(username).map(NotFoundException.ifMissing("user", username));
    }

    private Uni<Void> keepAnAdmin(SqlClient c, User user, boolean losesAdmin, String verb) {
        if (!losesAdmin) {
            return Uni.createFrom().voidItem();
        }
        return users.otherEnabledAdmins(c, user.id()).map(others -> {
            if (others == 0) {
                throw new ConflictException("'" + user.username() + "' is the last enabled admin; make another user admin "
                        + "before you " + verb + " it");
            }
            return null;
        });
    }

    private static Uni<Void> revokeSessions(SqlClient c, long userId) {
        return c.preparedQuery("UPDATE auth_sessions SET revoked_at = now(), revoked_reason = 'password changed' "
                + "WHERE user_id = $1 AND revoked_at IS NULL").execute(io.vertx.mutiny.sqlclient.Tuple.of(userId))
                .replaceWithVoid();
    }

    static void checkPassword(String password, Violations v) {
        v.check(password.length() >= MIN_PASSWORD, "password", "must be at least " + MIN_PASSWORD + " characters");
        v.check(password.length() <= MAX_PASSWORD, "password", "must be at most " + MAX_PASSWORD + " characters");
    }

    private static Role role(String label, Violations v, boolean required) {
        if (label == null) {
            v.check(!required, "role", "is required: viewer, operator or admin");
            return null;
        }
        Role role = Role.ofLabel(label).orElse(null);
        v.check(role != null, "role", "must be viewer, operator or admin");
        return role;
    }

    /** bcrypt takes tens of milliseconds: off the event loop. */
    static Uni<String> hash(String password) {
        return VertxContextSupport.executeBlocking(() -> BcryptUtil.bcryptHash(password));
    }
}

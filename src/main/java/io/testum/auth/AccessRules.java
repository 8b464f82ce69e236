package io.testum.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who may call each endpoint (SPEC §6), in one table: {@code "METHOD /path/template"} to the
 * access it needs. Every REST endpoint must have a row; a test enumerates the registered
 * endpoints against this table.
 */
public final class AccessRules {

    /** What a caller needs. */
    public enum Access {
        /** Anyone, without credentials. */
        PUBLIC,
        /** Any signed-in user or token, whatever its role. */
        AUTHENTICATED,
        VIEWER,
        OPERATOR,
        ADMIN,
        /** No user: the request proves itself with a webhook signature. */
        SIGNATURE;

        /** The role this access needs, if it is a role. */
        public Optional<Role> role() {
            return switch (this) {
                case VIEWER -> Optional.of(Role.VIEWER);
                case OPERATOR -> Optional.of(Role.OPERATOR);
                case ADMIN -> Optional.of(Role.ADMIN);
                default -> Optional.empty();
            };
        }
    }

    private static final Map<String, Access> RULES = new LinkedHashMap<>();

    static {
        rule("GET /api/health", Access.PUBLIC);

        rule("POST /api/auth/login", Access.PUBLIC);
        rule("POST /api/auth/refresh", Access.PUBLIC);
        rule("POST /api/auth/logout", Access.AUTHENTICATED);
        rule("GET /api/users/me", Access.AUTHENTICATED);
        rule("GET /api/users", Access.ADMIN);
        rule("POST /api/users", Access.ADMIN);
        rule("GET /api/users/{username}", Access.ADMIN);
        rule("PUT /api/users/{username}", Access.ADMIN);
        rule("DELETE /api/users/{username}", Access.ADMIN);
        rule("GET /api/tokens", Access.ADMIN);
        rule("POST /api/tokens", Access.ADMIN);
        rule("DELETE /api/tokens/{id}", Access.ADMIN);

        rule("GET /api/platforms", Access.VIEWER);
        rule("POST /api/platforms", Access.OPERATOR);
        rule("GET /api/platforms/{name}", Access.VIEWER);
        rule("PUT /api/platforms/{name}", Access.OPERATOR);
        rule("DELETE /api/platforms/{name}", Access.OPERATOR);
        rule("POST /api/platforms/{name}/test-ssh", Access.OPERATOR);
        rule("GET /api/platforms/{name}/stats", Access.VIEWER);
        rule("GET /api/platforms/{name}/authorized-keys", Access.VIEWER);
        rule("POST /api/platforms/{name}/deploy-keys", Access.OPERATOR);
        rule("POST /api/platforms/{name}/run_command", Access.OPERATOR);
        rule("DELETE /api/platforms/{name}/host-key", Access.ADMIN);

        rule("GET /api/keys", Access.VIEWER);
        rule("POST /api/keys", Access.OPERATOR);
        rule("GET /api/keys/{name}", Access.VIEWER);
        rule("PUT /api/keys/{name}", Access.OPERATOR);
        rule("DELETE /api/keys/{name}", Access.OPERATOR);

        rule("GET /api/credentials", Access.ADMIN);
        rule("GET /api/credentials/{name}", Access.ADMIN);
        rule("POST /api/credentials/generate", Access.ADMIN);
        rule("POST /api/credentials/import", Access.ADMIN);
        rule("GET /api/credentials/{name}/public-key", Access.ADMIN);
        rule("DELETE /api/credentials/{name}", Access.ADMIN);

        rule("GET /api/access", Access.VIEWER);
        rule("POST /api/access", Access.OPERATOR);
        rule("GET /api/access/{name}", Access.VIEWER);
        rule("PUT /api/access/{name}", Access.OPERATOR);
        rule("DELETE /api/access/{name}", Access.OPERATOR);

        rule("GET /api/gitops/sources", Access.VIEWER);
        rule("POST /api/gitops/sources", Access.ADMIN);
        rule("GET /api/gitops/sources/{name}", Access.VIEWER);
        rule("PUT /api/gitops/sources/{name}", Access.ADMIN);
        rule("DELETE /api/gitops/sources/{name}", Access.ADMIN);
        rule("GET /api/gitops/sources/{name}/status", Access.VIEWER);
        rule("POST /api/gitops/sources/{name}/sync", Access.OPERATOR);
        rule("GET /api/gitops/sources/{name}/diff", Access.VIEWER);
        rule("POST /api/gitops/webhook/{name}", Access.SIGNATURE);
        rule("POST /api/gitops/import", Access.ADMIN);

        rule("POST /api/runs", Access.OPERATOR);
        rule("GET /api/runs", Access.VIEWER);
        rule("GET /api/runs/{id}", Access.VIEWER);
        rule("POST /api/runs/{id}/cancel", Access.OPERATOR);
        rule("GET /api/runs/{id}/events", Access.VIEWER);
        rule("GET /api/runs/{id}/groups", Access.VIEWER);

        rule("GET /api/stats", Access.VIEWER);
        rule("GET /api/audit", Access.ADMIN);
        rule("GET /api/audit/export", Access.ADMIN);
        rule("GET /api/backup/export", Access.ADMIN);
        rule("POST /api/backup/import", Access.ADMIN);
    }

    private AccessRules() {
    }

    private static void rule(String endpoint, Access access) {
        if (RULES.put(endpoint, access) != null) {
            throw new IllegalStateException("Two access rules for " + endpoint);
        }
    }

    /** The access {@code method} on {@code pathTemplate} needs, if the table has a row for it. */
    public static Optional<Access> lookup(String method, String pathTemplate) {
        return Optional.ofNullable(RULES.get(method + " " + pathTemplate));
    }

    /** Every row of the table. */
    public static Map<String, Access> all() {
        return Map.copyOf(RULES);
    }
}

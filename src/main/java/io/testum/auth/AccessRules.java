package io.testum.auth;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ResourceInfo;

/**
 * Who may call each endpoint (SPEC §6), and how the audit log names the calls that change
 * something, in one table: {@code "METHOD /path/template"} to its rule. Every REST endpoint must
 * have a row; a test enumerates the registered endpoints against this table, and
 * {@link AccessFilter} refuses a call to an endpoint without one.
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

    /**
     * One row of the table.
     *
     * @param access what the caller needs
     * @param action the audit log's name for a call that changes something; null for reads
     */
    public record Rule(Access access, String action) {
    }

    private static final Map<String, Rule> RULES = new LinkedHashMap<>();
    private static final Map<String, Rule> ROUTES = new LinkedHashMap<>();
    private static final Map<Method, String> TEMPLATES = new ConcurrentHashMap<>();

    static {
        // Anonymous callers get only {status, database}; signed-in ones also the leader, sources and version.
        rule("GET /api/health", Access.PUBLIC, null);

        rule("POST /api/auth/login", Access.PUBLIC, "auth.login");
        rule("POST /api/auth/refresh", Access.PUBLIC, "auth.refresh");
        rule("POST /api/auth/logout", Access.AUTHENTICATED, "auth.logout");
        rule("GET /api/users/me", Access.AUTHENTICATED, null);
        rule("GET /api/users", Access.ADMIN, null);
        rule("POST /api/users", Access.ADMIN, "user.create");
        rule("GET /api/users/{username}", Access.ADMIN, null);
        rule("PUT /api/users/{username}", Access.ADMIN, "user.update");
        rule("DELETE /api/users/{username}", Access.ADMIN, "user.delete");
        rule("GET /api/tokens", Access.ADMIN, null);
        rule("POST /api/tokens", Access.ADMIN, "token.create");
        rule("DELETE /api/tokens/{id}", Access.ADMIN, "token.revoke");

        rule("GET /api/platforms", Access.VIEWER, null);
        rule("POST /api/platforms", Access.OPERATOR, "platform.create");
        rule("GET /api/platforms/{name}", Access.VIEWER, null);
        rule("PUT /api/platforms/{name}", Access.OPERATOR, "platform.update");
        rule("DELETE /api/platforms/{name}", Access.OPERATOR, "platform.delete");
        rule("POST /api/platforms/{name}/test-ssh", Access.OPERATOR, "platform.test-ssh");
        rule("GET /api/platforms/{name}/stats", Access.VIEWER, null);
        rule("GET /api/platforms/{name}/containers", Access.VIEWER, null);
        // Container logs often hold secrets (tokens, connection strings printed at start): operators and up.
        rule("GET /api/platforms/{name}/containers/{id}/logs", Access.OPERATOR, null);
        rule("GET /api/platforms/{name}/authorized-keys", Access.VIEWER, null);
        rule("GET /api/deployments", Access.VIEWER, null);
        rule("GET /api/platforms/{name}/unmanaged-keys", Access.VIEWER, null);
        rule("GET /api/platforms/{name}/unmanaged-keys/removal", Access.VIEWER, null);
        rule("GET /api/unmanaged-keys", Access.VIEWER, null);
        rule("GET /api/unmanaged-keys/export", Access.VIEWER, null);
        rule("GET /api/access-history", Access.VIEWER, null);
        rule("GET /api/access-history/export", Access.VIEWER, null);
        rule("POST /api/platforms/{name}/deploy-keys", Access.OPERATOR, "platform.deploy-keys");
        rule("POST /api/platforms/{name}/run_command", Access.OPERATOR, "run.create");
        rule("DELETE /api/platforms/{name}/host-key", Access.ADMIN, "platform.forget-host-key");

        rule("GET /api/keys", Access.VIEWER, null);
        rule("POST /api/keys", Access.OPERATOR, "key.create");
        rule("GET /api/keys/{name}", Access.VIEWER, null);
        rule("PUT /api/keys/{name}", Access.OPERATOR, "key.update");
        rule("DELETE /api/keys/{name}", Access.OPERATOR, "key.delete");

        rule("GET /api/credentials", Access.ADMIN, null);
        rule("GET /api/credentials/{name}", Access.ADMIN, null);
        rule("POST /api/credentials/generate", Access.ADMIN, "credential.generate");
        rule("POST /api/credentials/import", Access.ADMIN, "credential.import");
        rule("GET /api/credentials/{name}/public-key", Access.ADMIN, null);
        rule("PUT /api/credentials/{name}/binding", Access.ADMIN, "credential.bind");
        rule("DELETE /api/credentials/{name}", Access.ADMIN, "credential.delete");

        rule("GET /api/access", Access.VIEWER, null);
        rule("POST /api/access", Access.OPERATOR, "access.create");
        rule("GET /api/access/{name}", Access.VIEWER, null);
        rule("PUT /api/access/{name}", Access.OPERATOR, "access.update");
        rule("DELETE /api/access/{name}", Access.OPERATOR, "access.delete");

        rule("GET /api/gitops/sources", Access.VIEWER, null);
        rule("POST /api/gitops/sources", Access.ADMIN, "source.create");
        rule("GET /api/gitops/sources/{name}", Access.VIEWER, null);
        rule("PUT /api/gitops/sources/{name}", Access.ADMIN, "source.update");
        rule("DELETE /api/gitops/sources/{name}", Access.ADMIN, "source.delete");
        rule("GET /api/gitops/sources/{name}/status", Access.VIEWER, null);
        rule("POST /api/gitops/sources/{name}/sync", Access.OPERATOR, "source.sync");
        rule("GET /api/gitops/sources/{name}/diff", Access.VIEWER, null);
        rule("POST /api/gitops/webhook/{name}", Access.SIGNATURE, "source.webhook");
        rule("POST /api/gitops/import", Access.ADMIN, "gitops.import");

        rule("POST /api/runs", Access.OPERATOR, "run.create");
        rule("GET /api/runs", Access.VIEWER, null);
        rule("GET /api/runs/{id}", Access.VIEWER, null);
        rule("POST /api/runs/{id}/cancel", Access.OPERATOR, "run.cancel");
        rule("GET /api/runs/{id}/events", Access.VIEWER, null);
        rule("GET /api/runs/{id}/groups", Access.VIEWER, null);

        rule("GET /api/schedules", Access.VIEWER, null);
        rule("POST /api/schedules", Access.OPERATOR, "schedule.create");
        rule("GET /api/schedules/{name}", Access.VIEWER, null);
        rule("PUT /api/schedules/{name}", Access.OPERATOR, "schedule.update");
        rule("DELETE /api/schedules/{name}", Access.OPERATOR, "schedule.delete");
        rule("GET /api/schedules/{name}/runs", Access.VIEWER, null);

        rule("GET /api/alerts", Access.ADMIN, null);
        rule("POST /api/alerts", Access.ADMIN, "alert.create");
        rule("GET /api/alerts/{name}", Access.ADMIN, null);
        rule("PUT /api/alerts/{name}", Access.ADMIN, "alert.update");
        rule("DELETE /api/alerts/{name}", Access.ADMIN, "alert.delete");
        rule("GET /api/alerts/{name}/deliveries", Access.ADMIN, null);

        rule("GET /api/stats", Access.VIEWER, null);
        rule("GET /api/audit", Access.ADMIN, null);
        rule("GET /api/audit/export", Access.ADMIN, null);
        rule("GET /api/backup/export", Access.ADMIN, null);
        rule("POST /api/backup/import", Access.ADMIN, "backup.import");

        // Web UI pages (io.testum.web): the same roles as the API calls they stand for, and the same
        // audit names, so a change made in the browser reads like one made through the API.
        rule("GET /login", Access.PUBLIC, null);
        rule("POST /login", Access.PUBLIC, "auth.login");
        rule("POST /logout", Access.AUTHENTICATED, "auth.logout");
        rule("GET /lang/{code}", Access.PUBLIC, null);
        rule("GET /", Access.VIEWER, null);

        rule("GET /platforms", Access.VIEWER, null);
        rule("POST /platforms", Access.OPERATOR, "platform.create");
        rule("GET /platforms/{name}", Access.VIEWER, null);
        rule("POST /platforms/{name}", Access.OPERATOR, "platform.update");
        rule("POST /platforms/{name}/delete", Access.OPERATOR, "platform.delete");
        rule("GET /platforms/{name}/stats", Access.VIEWER, null);
        rule("POST /platforms/{name}/test-ssh", Access.OPERATOR, "platform.test-ssh");
        rule("POST /platforms/{name}/deploy-keys", Access.OPERATOR, "platform.deploy-keys");
        rule("POST /platforms/{name}/run", Access.OPERATOR, "run.create");
        // What unmanaged: remove would take out: beside the button that removes them, so operators'.
        rule("GET /platforms/{name}/removal", Access.OPERATOR, null);
        rule("GET /platforms/{name}/host-key", Access.ADMIN, null);
        rule("POST /platforms/{name}/host-key/forget", Access.ADMIN, "platform.forget-host-key");
        rule("GET /platforms/{name}/containers", Access.VIEWER, null);
        rule("GET /platforms/{name}/containers/{id}/logs", Access.OPERATOR, null);
        rule("GET /unmanaged-keys", Access.VIEWER, null);
        // A search, not a change; a form post only so that a pasted key never lands in a URL or a log.
        rule("POST /unmanaged-keys/search", Access.VIEWER, "unmanaged_key.search");

        rule("GET /keys", Access.VIEWER, null);
        rule("POST /keys", Access.OPERATOR, "key.create");
        rule("GET /keys/{name}", Access.VIEWER, null);
        rule("POST /keys/{name}", Access.OPERATOR, "key.update");
        rule("POST /keys/{name}/delete", Access.OPERATOR, "key.delete");

        rule("GET /credentials", Access.ADMIN, null);
        rule("POST /credentials/generate", Access.ADMIN, "credential.generate");
        rule("POST /credentials/import", Access.ADMIN, "credential.import");
        rule("GET /credentials/{name}/public-key", Access.ADMIN, null);
        rule("POST /credentials/{name}/binding", Access.ADMIN, "credential.bind");
        rule("POST /credentials/{name}/delete", Access.ADMIN, "credential.delete");

        rule("GET /access", Access.VIEWER, null);
        rule("POST /access", Access.OPERATOR, "access.create");
        rule("GET /access/{name}", Access.VIEWER, null);
        rule("POST /access/{name}", Access.OPERATOR, "access.update");
        rule("POST /access/{name}/delete", Access.OPERATOR, "access.delete");

        rule("GET /gitops", Access.VIEWER, null);
        rule("GET /gitops/{name}", Access.VIEWER, null);
        rule("GET /gitops/{name}/diff", Access.VIEWER, null);
        rule("POST /gitops/{name}/sync", Access.OPERATOR, "source.sync");
        rule("POST /gitops/{name}/suspend", Access.ADMIN, "source.update");
        rule("POST /gitops", Access.ADMIN, "source.create");
        rule("POST /gitops/{name}", Access.ADMIN, "source.update");
        rule("POST /gitops/{name}/delete", Access.ADMIN, "source.delete");
        rule("GET /import", Access.ADMIN, null);
        rule("POST /import", Access.ADMIN, "gitops.import");

        rule("GET /runs", Access.VIEWER, null);
        rule("POST /runs", Access.OPERATOR, "run.create");
        rule("GET /runs/{id}", Access.VIEWER, null);
        rule("POST /runs/{id}/cancel", Access.OPERATOR, "run.cancel");

        rule("GET /schedules", Access.VIEWER, null);
        rule("POST /schedules", Access.OPERATOR, "schedule.create");
        rule("GET /schedules/{name}", Access.VIEWER, null);
        rule("POST /schedules/{name}", Access.OPERATOR, "schedule.update");
        rule("POST /schedules/{name}/delete", Access.OPERATOR, "schedule.delete");

        rule("GET /alerts", Access.ADMIN, null);
        rule("POST /alerts", Access.ADMIN, "alert.create");
        rule("GET /alerts/{name}", Access.ADMIN, null);
        rule("POST /alerts/{name}", Access.ADMIN, "alert.update");
        rule("POST /alerts/{name}/delete", Access.ADMIN, "alert.delete");
        rule("POST /alerts/{name}/secrets", Access.ADMIN, "alert.update");

        rule("GET /audit", Access.ADMIN, null);
        rule("GET /users", Access.ADMIN, null);
        rule("POST /users", Access.ADMIN, "user.create");
        rule("POST /users/{username}", Access.ADMIN, "user.update");
        rule("POST /users/{username}/delete", Access.ADMIN, "user.delete");
        rule("GET /tokens", Access.ADMIN, null);
        rule("POST /tokens", Access.ADMIN, "token.create");
        rule("POST /tokens/{id}/revoke", Access.ADMIN, "token.revoke");

        // Routes outside the REST layer: the WebSockets and Quarkus's own endpoints. RoutePolicy
        // enforces these rows (the paths it covers are in application.properties); a path ending in
        // /* covers everything below it. The probes stay open, so Kubernetes needs no credentials.
        route("GET /q/health/*", Access.PUBLIC);
        route("GET /q/metrics/*", Access.VIEWER);
        route("GET /q/openapi/*", Access.VIEWER);
        route("GET /q/openapi.json", Access.VIEWER);
        route("GET /q/openapi.yaml", Access.VIEWER);
        route("GET /q/openapi.yml", Access.VIEWER);
        route("GET /q/swagger-ui/*", Access.VIEWER);
        route("GET /ws/runs/{id}", Access.VIEWER);
        route("GET /ws/tasks/{id}", Access.VIEWER);
    }

    private AccessRules() {
    }

    private static void rule(String endpoint, Access access, String action) {
        if (RULES.put(endpoint, new Rule(access, action)) != null) {
            throw new IllegalStateException("Two access rules for " + endpoint);
        }
    }

    private static void route(String endpoint, Access access) {
        if (ROUTES.put(endpoint, new Rule(access, null)) != null) {
            throw new IllegalStateException("Two access rules for " + endpoint);
        }
    }

    /**
     * The row for a request to {@code path} outside the REST layer, if the table has one: a
     * template's {@code {name}} matches one path segment, a trailing {@code /*} the path itself and
     * everything below it. HEAD is read as GET.
     */
    public static Optional<Rule> route(String method, String path) {
        String verb = "HEAD".equals(method) ? "GET" : method;
        for (Map.Entry<String, Rule> row : ROUTES.entrySet()) {
            int space = row.getKey().indexOf(' ');
            if (row.getKey().substring(0, space).equals(verb) && matches(row.getKey().substring(space + 1), path)) {
                return Optional.of(row.getValue());
            }
        }
        return Optional.empty();
    }

    static boolean matches(String template, String path) {
        if (template.endsWith("/*")) {
            String base = template.substring(0, template.length() - 2);
            return path.equals(base) || path.startsWith(base + "/");
        }
        String[] want = template.split("/", -1);
        String[] have = path.split("/", -1);
        if (want.length != have.length) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            boolean variable = want[i].startsWith("{") && want[i].endsWith("}");
            if (variable ? have[i].isEmpty() : !want[i].equals(have[i])) {
                return false;
            }
        }
        return true;
    }

    /** Every row for the routes outside the REST layer. */
    public static Map<String, Rule> routes() {
        return Map.copyOf(ROUTES);
    }

    /** The row for {@code method} on {@code pathTemplate}, if the table has one. HEAD is read as GET. */
    public static Optional<Rule> lookup(String method, String pathTemplate) {
        String verb = "HEAD".equals(method) ? "GET" : method;
        return Optional.ofNullable(RULES.get(verb + " " + pathTemplate));
    }

    /** The path template of the endpoint a request matched, as the table writes it, e.g. {@code /api/platforms/{name}}. */
    public static String template(ResourceInfo resource) {
        return TEMPLATES.computeIfAbsent(resource.getResourceMethod(), m -> {
            Path type = resource.getResourceClass().getAnnotation(Path.class);
            Path method = m.getAnnotation(Path.class);
            String joined = "/" + (type == null ? "" : type.value()) + "/" + (method == null ? "" : method.value());
            String normalized = joined.replaceAll("/+", "/").replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}");
            return normalized.length() > 1 && normalized.endsWith("/")
                    ? normalized.substring(0, normalized.length() - 1) : normalized;
        });
    }

    /** Every row of the table. */
    public static Map<String, Rule> all() {
        return Map.copyOf(RULES);
    }
}

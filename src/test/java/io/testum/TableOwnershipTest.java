package io.testum;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every table has one owner package, and only that package holds SQL for it; the others ask the
 * owner through its public API. Reads the source tree: a table named after {@code FROM},
 * {@code JOIN}, {@code INTO}, {@code UPDATE} or {@code TABLE} in a Java string literal (or text
 * block) counts as SQL on that table. The README's architecture section lists the same owners.
 */
class TableOwnershipTest {

    private static final Path SOURCES = Path.of("src/main/java/io/testum");
    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

    /** Each table of the schema and the package that owns it. */
    static final Map<String, String> OWNERS = Map.ofEntries(
            Map.entry("platforms", "inventory"),
            Map.entry("host_key_pins", "inventory"),
            Map.entry("ssh_keys", "keys"),
            Map.entry("credentials", "keys"),
            Map.entry("credential_bindings", "keys"),
            Map.entry("access_grants", "keys"),
            Map.entry("access_grant_keys", "keys"),
            Map.entry("access_grant_platforms", "keys"),
            Map.entry("deployments", "deploy"),
            Map.entry("unmanaged_keys", "deploy"),
            Map.entry("access_intervals", "deploy"),
            Map.entry("access_interval_keys", "deploy"),
            Map.entry("runs", "runs"),
            Map.entry("run_hosts", "runs"),
            Map.entry("run_events", "runs"),
            Map.entry("schedules", "schedules"),
            Map.entry("alerts", "alerts"),
            Map.entry("alert_states", "alerts"),
            Map.entry("alert_deliveries", "alerts"),
            Map.entry("gitops_sources", "gitops"),
            Map.entry("reconcile_runs", "gitops"),
            Map.entry("users", "auth"),
            Map.entry("api_tokens", "auth"),
            Map.entry("auth_sessions", "auth"),
            Map.entry("refresh_tokens", "auth"),
            Map.entry("login_throttle", "auth"),
            Map.entry("audit_log", "audit"),
            Map.entry("app_state", "secrets"));

    /**
     * SQL not moved to its owner yet: table → the files outside the owner that still hold it.
     * This list may only shrink; a table leaves it once its owner holds all of its SQL.
     */
    static final Map<String, Set<String>> NOT_MOVED_YET = Map.of();

    private static final Pattern LITERAL = Pattern.compile("\"\"\"(.*?)\"\"\"|\"((?:[^\"\\\\\\n]|\\\\.)*)\"", Pattern.DOTALL);
    private static final Pattern TABLE_AFTER_KEYWORD = Pattern.compile(
            "\\b(?:from|join|into|update|table)\\s+(?:only\\s+)?([a-z_]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern CREATE_TABLE = Pattern.compile("create table\\s+(?:if not exists\\s+)?([a-z_]+)",
            Pattern.CASE_INSENSITIVE);

    @Test
    void everyTableOfTheSchemaHasAnOwner() throws IOException {
        Set<String> tables = new TreeSet<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.toList()) {
                Matcher m = CREATE_TABLE.matcher(Files.readString(file));
                while (m.find()) {
                    tables.add(m.group(1).toLowerCase());
                }
            }
        }
        assertThat(tables).hasSizeGreaterThan(20);
        assertThat(OWNERS.keySet()).containsExactlyInAnyOrderElementsOf(tables);
    }

    @Test
    void onlyTheOwnerHoldsSqlForItsTable() throws IOException {
        Map<String, Set<String>> outside = new TreeMap<>();
        sqlByTable().forEach((table, files) -> files.stream()
                .filter(f -> !f.startsWith(OWNERS.getOrDefault(table, "?") + "/"))
                .forEach(f -> outside.computeIfAbsent(table, t -> new TreeSet<>()).add(f)));
        Map<String, Set<String>> allowed = new TreeMap<>();
        NOT_MOVED_YET.forEach((table, files) -> allowed.put(table, new TreeSet<>(files)));

        assertThat(outside).as("SQL outside the owning package (table -> files); move it to the owner, "
                + "or, if it moved, take it off NOT_MOVED_YET").isEqualTo(allowed);
    }

    @Test
    void theScanFindsTheSqlThatIsThere() throws IOException {
        Map<String, Set<String>> sql = sqlByTable();
        assertThat(sql.get("audit_log")).contains("audit/AuditLog.java");
        assertThat(sql.get("app_state")).containsExactly("secrets/SealedState.java");
        assertThat(sql.get("deployments")).containsExactly("deploy/DeploymentRepository.java");
    }

    /**
     * A repository is its owner's way to its tables, never the others': every {@code *Repository}
     * class is package-private, so code outside the owner cannot even name it and goes through the
     * owner's public service API instead.
     */
    @Test
    void noRepositoryIsVisibleOutsideItsOwner() throws IOException {
        Set<String> visible = new TreeSet<>();
        Set<String> repositories = new TreeSet<>();
        Pattern declaration = Pattern.compile("(?m)^(public\\s+|protected\\s+)?(?:final\\s+|abstract\\s+)*(?:class|interface|record)\\s+(\\w+Repository)\\b");
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith("Repository.java")).toList()) {
                Matcher m = declaration.matcher(Files.readString(file));
                while (m.find()) {
                    String name = SOURCES.relativize(file).toString().replace('\\', '/');
                    repositories.add(name);
                    if (m.group(1) != null) {
                        visible.add(name);
                    }
                }
            }
        }
        assertThat(repositories).as("the scan finds the repositories").contains("deploy/DeploymentRepository.java",
                "inventory/PlatformRepository.java", "runs/RunRepository.java", "gitops/SourceRepository.java");
        assertThat(visible).as("repositories visible outside their package; offer a service method instead").isEmpty();
    }

    /** Table → the files (relative to the root package) whose string literals hold SQL naming it. */
    private static Map<String, Set<String>> sqlByTable() throws IOException {
        Map<String, Set<String>> found = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String code = Files.readString(file).replaceAll("//[^\\n]*", "");
                String name = SOURCES.relativize(file).toString().replace('\\', '/');
                Matcher literal = LITERAL.matcher(code);
                while (literal.find()) {
                    String text = literal.group(1) != null ? literal.group(1) : literal.group(2);
                    Matcher table = TABLE_AFTER_KEYWORD.matcher(text);
                    while (table.find()) {
                        String t = table.group(1).toLowerCase();
                        if (OWNERS.containsKey(t)) {
                            found.computeIfAbsent(t, x -> new TreeSet<>()).add(name);
                        }
                    }
                }
            }
        }
        return found;
    }
}

package io.testum.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The README's Security section lists, per role, exactly the endpoints that {@link AccessRules}
 * gives that role: every API, WebSocket and Quarkus endpoint under its own role, and none under
 * another. A rule that changes without the README fails here.
 */
class ReadmeSecurityTest {

    private static final Map<String, AccessRules.Access> HEADINGS = Map.of(
            "Anyone, without a login", AccessRules.Access.PUBLIC,
            "A push webhook, with a valid signature", AccessRules.Access.SIGNATURE,
            "Any signed-in user or API token", AccessRules.Access.AUTHENTICATED,
            "viewer", AccessRules.Access.VIEWER,
            "operator", AccessRules.Access.OPERATOR,
            "admin", AccessRules.Access.ADMIN);
    private static final Pattern ENDPOINT = Pattern.compile("`(GET|POST|PUT|DELETE|PATCH) (/[^`]*)`");

    /** Each role's block of the Security section: the text under its {@code ####} heading. */
    private static Map<AccessRules.Access, String> blocks() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("\n## Security\n");
        assertThat(start).as("README has a Security section").isPositive();
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Map<AccessRules.Access, String> blocks = new LinkedHashMap<>();
        String[] parts = section.split("\n#### ");
        for (int i = 1; i < parts.length; i++) {
            String heading = parts[i].substring(0, parts[i].indexOf('\n')).strip();
            String body = parts[i].split("\n### ")[0];
            AccessRules.Access access = HEADINGS.get(heading);
            assertThat(access).as("a known role heading: " + heading).isNotNull();
            blocks.put(access, body);
        }
        assertThat(blocks.keySet()).containsExactlyInAnyOrderElementsOf(HEADINGS.values());
        return blocks;
    }

    private static Map<String, AccessRules.Rule> documented() {
        Map<String, AccessRules.Rule> rows = new LinkedHashMap<>(AccessRules.routes());
        AccessRules.all().forEach((endpoint, rule) -> {
            if (endpoint.contains(" /api/")) {
                rows.put(endpoint, rule);
            }
        });
        return rows;
    }

    @Test
    void listsEveryApiEndpointUnderItsRole() throws IOException {
        Map<AccessRules.Access, String> blocks = blocks();
        List<String> missing = new ArrayList<>();
        documented().forEach((endpoint, rule) -> {
            if (!blocks.get(rule.access()).contains("`" + endpoint + "`")) {
                missing.add(endpoint + " (" + rule.access() + ")");
            }
        });
        assertThat(missing).as("endpoints the README's Security section does not list under their role").isEmpty();
    }

    @Test
    void listsNoEndpointUnderAnotherRole() throws IOException {
        List<String> wrong = new ArrayList<>();
        blocks().forEach((access, block) -> {
            Matcher m = ENDPOINT.matcher(block);
            while (m.find()) {
                String endpoint = m.group(1) + " " + m.group(2);
                Optional<AccessRules.Rule> rule = AccessRules.lookup(m.group(1), m.group(2))
                        .or(() -> Optional.ofNullable(AccessRules.routes().get(endpoint)));
                if (rule.isEmpty()) {
                    wrong.add(endpoint + ": no such endpoint");
                } else if (rule.get().access() != access) {
                    wrong.add(endpoint + ": listed under " + access + ", but the rule is " + rule.get().access());
                }
            }
        });
        assertThat(wrong).isEmpty();
    }
}

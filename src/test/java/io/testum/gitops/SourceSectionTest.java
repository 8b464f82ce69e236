package io.testum.gitops;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.testum.common.FieldError;
import io.testum.gitops.DesiredDocument.SourceEntry;
import io.testum.gitops.DocumentParser.SourceFile;

/** The {@code sources} section a backup adds to the desired-state format: read, checked, secrets refused. */
class SourceSectionTest {

    private static DesiredDocument parse(String text) {
        return DocumentParser.parse(List.of(new SourceFile("backup.yaml", text.getBytes(UTF_8))));
    }

    @Test
    void readsTheSourcesSectionWithTheObjectsEachSourceManages() {
        DesiredDocument document = parse("""
                sources:
                  - name: team
                    url: https://git.example.com/ops/fleet.git
                    branch: release
                    path: fleet
                    interval: 90s
                    prune: false
                    suspended: true
                    username: bot
                    credential: git-key
                    revision: 0123456789abcdef0123456789abcdef01234567
                    manages:
                      platforms: [web-01, web-02]
                      access: [web-admins]
                  - name: minimal
                    url: file:///srv/git/ops
                """);
        assertEquals(2, document.sources().size());
        SourceEntry team = document.sources().get(0);
        assertEquals(new SourceEntry("team", "https://git.example.com/ops/fleet.git", "release", "fleet", "90s", false, true,
                "bot", "git-key", null, "0123456789abcdef0123456789abcdef01234567",
                Map.of("platforms", List.of("web-01", "web-02"), "access", List.of("web-admins")), team.where()),
                team);
        assertEquals(new DesiredDocument.Location("backup.yaml", 13, 27), team.where().of("manages.platforms[1]"));
        SourceEntry minimal = document.sources().get(1);
        assertEquals(Map.of(), minimal.manages());
        assertEquals(null, minimal.branch());
    }

    @Test
    void refusesSecretsInTheSourcesSectionWithoutEchoingThem() {
        DocumentException e = assertThrows(DocumentException.class, () -> parse("""
                sources:
                  - name: team
                    url: https://bot:hunter2-token@git.example.com/ops.git
                    token: ghp_verysecretvalue
                    webhook_secret: whsec_othersecret
                """));
        List<String> messages = e.errors().stream().map(FieldError::message).toList();
        assertEquals(3, messages.size(), messages.toString());
        assertTrue(messages.stream().allMatch(m -> m.contains("secret material does not belong in a document")), messages.toString());
        String all = String.join("\n", messages) + e.getMessage();
        assertFalse(all.contains("hunter2") || all.contains("ghp_") || all.contains("whsec_"), all);
        assertEquals(List.of(3, 4, 5), e.errors().stream().map(FieldError::line).toList());
    }

    @Test
    void reportsEveryBadSourceFieldAtItsPlace() {
        DocumentException e = assertThrows(DocumentException.class, () -> parse("""
                sources:
                  - name: api
                    url: ftp://example.com/x
                    interval: 1s
                    prune: maybe
                    revision: not-a-sha
                    colour: blue
                    manages:
                      hosts: [web-01]
                      platforms: web-01
                  - name: api
                    url: file:///x
                """));
        List<String> places = e.errors().stream().map(f -> f.line() + ":" + f.column() + " " + f.message()).toList();
        assertEquals(10, places.size(), String.join("\n", places));
        assertTrue(places.get(0).startsWith("2:11 sources[0] (api): name: 'api' is reserved"), places.get(0));
        assertTrue(places.get(1).startsWith("3:10 sources[0] (api): url: must be"), places.get(1));
        assertTrue(places.get(2).startsWith("4:15 sources[0] (api): interval: must be a duration"), places.get(2));
        assertTrue(places.get(3).startsWith("5:12 sources[0] (api): prune: must be true or false"), places.get(3));
        assertTrue(places.get(4).startsWith("6:15 sources[0] (api): revision: must be a Git commit SHA"), places.get(4));
        assertTrue(places.get(5).startsWith("7:5 sources[0] (api): unknown field 'colour'"), places.get(5));
        assertTrue(places.get(6).startsWith("9:7 sources[0] (api): manages: unknown field 'hosts'"), places.get(6));
        assertTrue(places.get(7).startsWith("10:18 sources[0] (api): manages: platforms: must be a list"), places.get(7));
        assertTrue(places.get(8).startsWith("11:5 sources[1] (api): source 'api' is already defined at backup.yaml:2:5"),
                places.get(8));
    }
}

package io.testum.gitops;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.testum.common.Source;
import io.testum.gitops.DocumentParser.SourceFile;
import io.testum.keys.TestKeys;

/** What {@link DocumentWriter} writes: a document the parser reads back to the same inventory, without secrets. */
class DocumentWriterTest {

    private static <S> Specs.Owned<S> api(S spec) {
        return new Specs.Owned<>(spec, Source.API, null);
    }

    private static <S> Specs.Owned<S> of(String source, S spec) {
        return new Specs.Owned<>(spec, source, "0123456789abcdef0123456789abcdef01234567");
    }

    private static Snapshot inventory() {
        return new Snapshot(
                Map.of("alice", api(new Specs.KeySpec("alice", TestKeys.ED25519, "Alice's laptop: #1")),
                        "bob", of("team", new Specs.KeySpec("bob", TestKeys.ED25519_B, null))),
                Map.of(),
                Map.of("deployer", api(new Specs.CredentialSpec("deployer", "testum-deployer", null)),
                        "vault", api(new Specs.CredentialSpec("vault", null, "true"))),
                Map.of(),
                Map.of("web-01", api(new Specs.PlatformSpec("web-01", "192.0.2.10", 22, "deploy", "key", "deployer", null,
                        Map.of("env", "prod", "tier", "1", "flag", "true", "empty", ""), "~/.ssh/authorized_keys", "merge",
                        null)),
                        "db-01", of("team", new Specs.PlatformSpec("db-01", "db.example.com", 2222, "root", "password", "vault",
                                "SHA256:1Fc74Z/uXkuMgg6iu3RkrIy73c3japJlEugFrRtQm0A", Map.of(), "/etc/ssh/keys/root",
                                "exclusive", "Primary: do not reboot"))),
                Map.of("web-admins", api(new Specs.GrantSpec("web-admins", List.of("alice", "bob"), List.of("db-01"),
                        new java.util.TreeMap<>(Map.of("env", "prod")), "deploy", "from=\"10.0.0.0/8\",no-agent-forwarding",
                        Instant.parse("2026-12-31T18:00:00Z"), "- leading dash"))));
    }

    private static GitSource source(String name, String url) {
        return new GitSource(1, name, "api", url, "main", "fleet/testum.yaml", Duration.ofMinutes(5), true, false, "bot",
                new byte[] { 1, 2, 3 }, null, new byte[] { 4, 5 }, null, null, null, "0123456789abcdef0123456789abcdef01234567",
                true, ReconcileReason.SUCCEEDED, 0);
    }

    private static DesiredDocument parse(String text) {
        return DocumentParser.parse(List.of(new SourceFile("backup.yaml", text.getBytes(UTF_8))));
    }

    @Test
    void exportedDocumentParsesBackToTheSameInventory() {
        Snapshot inventory = inventory();
        String text = DocumentWriter.write(inventory, List.of(source("team", "https://git.example.com/ops/fleet.git")));

        DesiredDocument document = parse(text);
        Planner.Result planned = Planner.plan(new DesiredDocument(document.keys(), document.credentials(),
                document.platforms(), document.access(), new DesiredDocument.Settings(false, true, DesiredDocument.Drift.REPAIR, io.testum.deploy.UnmanagedMode.KEEP)),
                new Snapshot(all(inventory.keys()), Map.of(), all(inventory.credentials()), Map.of(), all(inventory.platforms()),
                        all(inventory.grants())), Source.API);
        assertEquals(List.of(), planned.errors());
        assertFalse(planned.plan().changes(), planned.plan().toMap().toString());
        assertEquals(2, planned.plan().platform().unchanged());
        assertEquals(2, planned.plan().sshKey().unchanged());
        assertEquals(2, planned.plan().credential().unchanged());
        assertEquals(1, planned.plan().access().unchanged());
    }

    /** The same specs, all owned by the API, as the planner compares them. */
    private static <S> Map<String, Specs.Owned<S>> all(Map<String, Specs.Owned<S>> owned) {
        Map<String, Specs.Owned<S>> map = new java.util.HashMap<>();
        owned.forEach((n, o) -> map.put(n, api(o.spec())));
        return map;
    }

    @Test
    void exportIsSortedWithoutDefaultsAndTheSameForTheSameInventory() {
        String text = DocumentWriter.write(inventory(), List.of(source("team", "https://git.example.com/ops/fleet.git")));
        assertEquals(text, DocumentWriter.write(inventory(), List.of(source("team", "https://git.example.com/ops/fleet.git"))));
        assertTrue(text.startsWith("# testum inventory"), text);
        assertTrue(text.indexOf("name: db-01") < text.indexOf("name: web-01"), text);
        assertFalse(text.contains("authorized_keys_path: ~/.ssh/authorized_keys"), text);
        assertFalse(text.contains("authorized_keys_mode: merge"), text);
        assertTrue(text.contains("interval: 5m"), text);
        assertTrue(text.contains("manages:\n      platforms: [db-01]\n      ssh_keys: [bob]\n"), text);
    }

    @Test
    void labelValuesThatLookLikeNumbersOrBooleansReadBackAsText() {
        String text = DocumentWriter.write(inventory(), List.of());
        assertTrue(text.contains("flag: 'true'") && text.contains("tier: '1'"), text);
        Map<String, String> labels = parse(text).platforms().stream().filter(p -> p.request().name().equals("web-01"))
                .findFirst().orElseThrow().request().labels();
        assertEquals("true", labels.get("flag"));
        assertEquals("1", labels.get("tier"));
    }

    @Test
    void exportLeavesOutSourceSecretsAndTheUrlUserInfo() {
        String text = DocumentWriter.write(inventory(), List.of(source("team", "https://bot:s3cret-t0ken@git.example.com/ops.git"),
                source("bare", "https://ghp_S3cretT0ken@github.com/ops/fleet.git")));
        assertFalse(text.contains("s3cret-t0ken"), text);
        assertFalse(text.contains("ghp_S3cretT0ken"), text);
        assertTrue(text.contains("url: https://git.example.com/ops.git"), text);
        assertTrue(text.contains("url: https://github.com/ops/fleet.git"), text);
        assertFalse(text.contains("token:") || text.contains("webhook_secret:") || text.contains("\u0001"), text);
        assertEquals("git@github.com:ops/fleet.git", GitUrls.withoutSecrets("git@github.com:ops/fleet.git"));
        assertEquals("ssh://git@host/x.git", GitUrls.withoutSecrets("ssh://git@host/x.git"));
        assertEquals("ssh://git@host/x.git", GitUrls.withoutSecrets("ssh://git:pw@host/x.git"));
        assertEquals("https://host/x.git", GitUrls.withoutSecrets("https://us@er:p@ss@host/x.git"));
    }
}

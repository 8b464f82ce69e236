package io.testum.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class DesiredStateTest {

    private static final String TESTUM = "ssh-ed25519 AAAATestum testum-deployer";
    private static final DesiredState.KeyRow ALICE = new DesiredState.KeyRow("alice", "ssh-ed25519 AAAAlice alice");
    private static final DesiredState.KeyRow BOB = new DesiredState.KeyRow("bob", "ssh-ed25519 AAAABob bob");

    private static DesiredState.PlatformRow platform(long id, String name, Map<String, String> labels, String auth) {
        return new DesiredState.PlatformRow(id, name, "10.0.0." + id, 22, "deploy", auth, "deployer", labels,
                "~/.ssh/authorized_keys", false, null, null);
    }

    private static final DesiredState.PlatformRow WEB = platform(1, "web-01", Map.of("role", "web"), "key");
    private static final DesiredState.PlatformRow DB = platform(2, "db-01", Map.of("role", "db"), "key");
    private static final DesiredState.PlatformRow LEGACY = platform(3, "legacy", Map.of("role", "web"), "password");

    private static Map<DesiredState.Pair, DesiredState.Desired> compute(List<DesiredState.GrantRow> grants,
            Set<DesiredState.Pair> existing) {
        return DesiredState.compute(List.of(WEB, DB, LEGACY), grants, Map.of("deployer", TESTUM), existing);
    }

    @Test
    void reachesPlatformsByNameAndBySelector() {
        var desired = compute(List.of(
                new DesiredState.GrantRow("web", Set.of(), Map.of("role", "web"), null, null, List.of(ALICE)),
                new DesiredState.GrantRow("db", Set.of(2L), null, null, "no-pty", List.of(BOB))), Set.of());
        assertEquals(Set.of(new DesiredState.Pair(1, "deploy"), new DesiredState.Pair(2, "deploy"),
                new DesiredState.Pair(3, "deploy")), desired.keySet());
        assertEquals(List.of("alice", "testum:deployer"), desired.get(new DesiredState.Pair(1, "deploy")).keyNames());
        assertTrue(desired.get(new DesiredState.Pair(2, "deploy")).block().contains("no-pty " + BOB.publicKey()));
    }

    @Test
    void keepsTestumsKeyOnlyInTheAccountItLogsInWithAKey() {
        var desired = compute(List.of(
                new DesiredState.GrantRow("ops", Set.of(), Map.of("role", "web"), "ops", null, List.of(ALICE))), Set.of());
        assertFalse(desired.get(new DesiredState.Pair(1, "ops")).block().contains(TESTUM), "another account");
        assertFalse(desired.containsKey(new DesiredState.Pair(1, "deploy")), "no grant, no record: nothing to manage");
        var legacy = compute(List.of(new DesiredState.GrantRow("l", Set.of(3L), null, null, null, List.of(ALICE))), Set.of());
        assertFalse(legacy.get(new DesiredState.Pair(3, "deploy")).block().contains(TESTUM), "password login");
    }

    @Test
    void keepsManagingAPairWhoseLastGrantIsGoneSoItsKeysLeave() {
        var desired = compute(List.of(), Set.of(new DesiredState.Pair(2, "deploy"), new DesiredState.Pair(99, "gone")));
        assertEquals(Set.of(new DesiredState.Pair(2, "deploy")), desired.keySet());
        assertEquals(ManagedBlock.render(List.of(new ManagedBlock.Line("testum:deployer", null, TESTUM))),
                desired.get(new DesiredState.Pair(2, "deploy")).block());
    }

    @Test
    void flagsBothPlatformsOfACollision() {
        DesiredState.PlatformRow alias = new DesiredState.PlatformRow(4, "web-alias", "10.0.0.1", 22, "deploy", "key",
                "deployer", Map.of(), "~/.ssh/authorized_keys", false, null, null);
        DesiredState.PlatformRow clone = new DesiredState.PlatformRow(5, "clone", "10.9.9.9", 22, "deploy", "key",
                "deployer", Map.of(), "~/.ssh/authorized_keys", false, null, "SHA256:same");
        DesiredState.PlatformRow original = new DesiredState.PlatformRow(6, "original", "10.9.9.8", 22, "deploy", "key",
                "deployer", Map.of(), "~/.ssh/authorized_keys", false, "SHA256:same", null);
        var reasons = DesiredState.collisions(List.of(WEB, DB, alias, clone, original));
        assertEquals(Set.of(1L, 4L, 5L, 6L), reasons.keySet());
        assertTrue(reasons.get(5L).contains("the same host key"));
        assertTrue(reasons.get(1L).startsWith(DesiredState.COLLISION));
    }
}

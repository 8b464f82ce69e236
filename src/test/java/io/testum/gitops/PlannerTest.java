package io.testum.gitops;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.testum.common.FieldError;
import io.testum.common.Source;
import io.testum.keys.TestKeys;

/**
 * The planner, pure: a database holding what some YAML says (owned by the API or a source), a
 * document of source {@value #SOURCE}, and the plan or the errors it must give.
 */
class PlannerTest {

    private static final String SOURCE = "ops";
    private static final String OTHER = "team";

    private static final String KEY_A = """
            ssh_keys:
              - name: alice
                public_key: "%s"
            """.formatted(TestKeys.ED25519);
    private static final String KEY_A_DESCRIBED = """
            ssh_keys:
              - name: alice
                public_key: "%s"
                description: Alice's laptop
            """.formatted(TestKeys.ED25519);
    private static final String KEYS_A_B = """
            ssh_keys:
              - name: alice
                public_key: "%s"
              - name: bob
                public_key: "%s"
            """.formatted(TestKeys.ED25519, TestKeys.ED25519_B);
    private static final String KEY_B_AS_ALICE = """
            ssh_keys:
              - name: bob
                public_key: "%s"
            """.formatted(TestKeys.ED25519);
    private static final String CREDENTIAL = """
            credentials:
              - name: deployer
                secret_ref: testum-deployer
            """;
    private static final String CREDENTIAL_MOVED = """
            credentials:
              - name: deployer
                secret_ref: testum-deployer-2
            """;
    private static final String WEB_01 = """
            platforms:
              - name: web-01
                host: 192.0.2.10
                username: deploy
                auth_method: key
            """;
    private static final String WEB_01_MOVED = """
            platforms:
              - name: web-01
                host: 192.0.2.11
                username: deploy
                auth_method: key
            """;
    private static final String WEB_01_02 = """
            platforms:
              - name: web-01
                host: 192.0.2.10
                username: deploy
                auth_method: key
              - name: web-02
                host: 192.0.2.20
                username: deploy
                auth_method: key
            """;
    private static final String WEB_01_WITH_CREDENTIAL = """
            platforms:
              - name: web-01
                host: 192.0.2.10
                username: deploy
                auth_method: key
                credential: deployer
            """;
    private static final String GRANT = """
            access:
              - name: admins
                keys: [alice]
                platforms: [web-01]
                user: deploy
            """;
    private static final String GRANT_EXPIRING = """
            access:
              - name: admins
                keys: [alice]
                platforms: [web-01]
                user: deploy
                expires: 2031-01-01T00:00:00Z
            """;
    private static final String GRANT_EXPIRING_LATER = """
            access:
              - name: admins
                keys: [alice]
                platforms: [web-01]
                user: deploy
                expires: 2032-06-30T12:00:00Z
            """;
    private static final String GRANT_EXPIRED = """
            access:
              - name: admins
                keys: [alice]
                platforms: [web-01]
                user: deploy
                expires: 2001-01-01T00:00:00Z
            """;
    private static final String GRANT_OF_BOB = """
            access:
              - name: admins
                keys: [bob]
                platforms: [web-01]
                user: deploy
            """;
    private static final String NO_PRUNE = """
            settings:
              prune: false
            """;
    private static final String ALLOW_EMPTY = """
            settings:
              allow_empty: true
            """;

    /** A database: what each YAML says, owned by the given owner. */
    private record Db(List<Map.Entry<String, String>> owned) {
        static Db empty() {
            return new Db(List.of());
        }

        static Db of(String owner, String... sections) {
            return empty().and(owner, sections);
        }

        Db and(String owner, String... sections) {
            List<Map.Entry<String, String>> all = new ArrayList<>(owned);
            all.add(Map.entry(owner, String.join("", sections)));
            return new Db(all);
        }

        Snapshot snapshot() {
            Map<String, Specs.Owned<Specs.KeySpec>> keys = new HashMap<>();
            Map<String, String> fingerprints = new HashMap<>();
            Map<String, Specs.Owned<Specs.CredentialSpec>> credentials = new HashMap<>();
            Map<String, Specs.Owned<Specs.PlatformSpec>> platforms = new HashMap<>();
            Map<String, Specs.Owned<Specs.GrantSpec>> grants = new HashMap<>();
            for (Map.Entry<String, String> entry : owned) {
                String owner = entry.getKey();
                String revision = Source.API.equals(owner) ? null : "0123456789ab";
                DesiredDocument d = parse(entry.getValue());
                d.keys().forEach(k -> {
                    keys.put(k.name(), new Specs.Owned<>(new Specs.KeySpec(k.name(), k.parsed().line(), k.description()),
                            owner, revision));
                    fingerprints.put(k.parsed().fingerprint(), k.name());
                });
                d.credentials().forEach(c -> credentials.put(c.name(), new Specs.Owned<>(
                        new Specs.CredentialSpec(c.name(), c.secretRef(), c.description()), owner, revision)));
                d.platforms().forEach(p -> platforms.put(p.request().name(), new Specs.Owned<>(
                        Specs.PlatformSpec.of(p.request()), owner, revision)));
                d.access().forEach(a -> grants.put(a.request().name(), new Specs.Owned<>(Specs.GrantSpec.of(a.request()),
                        owner, revision)));
            }
            return new Snapshot(keys, fingerprints, credentials, Map.of(), platforms, grants);
        }
    }

    static Stream<Arguments> plans() {
        return Stream.of(
                // ssh_keys
                plan("creates a key the database lacks", Db.empty(), KEY_A, "ssh_key +[alice]"),
                plan("updates a key whose description changed", Db.of(SOURCE, KEY_A), KEY_A_DESCRIBED, "ssh_key ~[alice]"),
                plan("deletes a key that left the document", Db.of(SOURCE, KEYS_A_B), KEY_A, "ssh_key -[bob] =1"),
                plan("leaves an identical key unchanged", Db.of(SOURCE, KEY_A), KEY_A, "ssh_key =1"),
                // credentials
                plan("creates a credential placeholder", Db.empty(), KEY_A + CREDENTIAL, "ssh_key +[alice]; credential +[deployer]"),
                plan("updates a credential whose secret_ref changed", Db.of(SOURCE, KEY_A, CREDENTIAL), KEY_A + CREDENTIAL_MOVED,
                        "ssh_key =1; credential ~[deployer]"),
                plan("deletes a credential that left the document", Db.of(SOURCE, KEY_A, CREDENTIAL), KEY_A,
                        "ssh_key =1; credential -[deployer]"),
                plan("leaves an identical credential unchanged", Db.of(SOURCE, KEY_A, CREDENTIAL), KEY_A + CREDENTIAL,
                        "ssh_key =1; credential =1"),
                // platforms
                plan("creates a platform", Db.empty(), WEB_01, "platform +[web-01]"),
                plan("updates a platform whose host changed", Db.of(SOURCE, WEB_01), WEB_01_MOVED, "platform ~[web-01]"),
                plan("deletes a platform that left the document", Db.of(SOURCE, WEB_01_02), WEB_01, "platform -[web-02] =1"),
                plan("leaves an identical platform unchanged", Db.of(SOURCE, WEB_01), WEB_01, "platform =1"),
                plan("creates a platform that logs in with a credential of the document", Db.empty(),
                        CREDENTIAL + WEB_01_WITH_CREDENTIAL, "platform +[web-01]; credential +[deployer]"),
                // access grants
                plan("creates a grant", Db.of(SOURCE, KEY_A, WEB_01), KEY_A + WEB_01 + GRANT,
                        "platform =1; ssh_key =1; access +[admins]"),
                plan("updates a grant whose keys changed", Db.of(SOURCE, KEYS_A_B, WEB_01, GRANT), KEYS_A_B + WEB_01 + GRANT_OF_BOB,
                        "platform =1; ssh_key =2; access ~[admins]"),
                plan("deletes a grant that left the document", Db.of(SOURCE, KEY_A, WEB_01, GRANT), KEY_A + WEB_01,
                        "platform =1; ssh_key =1; access -[admins]"),
                plan("leaves an identical grant unchanged", Db.of(SOURCE, KEY_A, WEB_01, GRANT), KEY_A + WEB_01 + GRANT,
                        "platform =1; ssh_key =1; access =1"),
                // grant expiry
                plan("updates a grant that gains an expiry", Db.of(SOURCE, KEY_A, WEB_01, GRANT), KEY_A + WEB_01 + GRANT_EXPIRING,
                        "platform =1; ssh_key =1; access ~[admins]"),
                plan("updates a grant whose expiry moved", Db.of(SOURCE, KEY_A, WEB_01, GRANT_EXPIRING),
                        KEY_A + WEB_01 + GRANT_EXPIRING_LATER, "platform =1; ssh_key =1; access ~[admins]"),
                plan("leaves a grant with the same expiry unchanged", Db.of(SOURCE, KEY_A, WEB_01, GRANT_EXPIRING),
                        KEY_A + WEB_01 + GRANT_EXPIRING, "platform =1; ssh_key =1; access =1"),
                plan("keeps an expired grant in the inventory (deployment leaves it out, the plan does not judge time)",
                        Db.of(SOURCE, KEY_A, WEB_01), KEY_A + WEB_01 + GRANT_EXPIRED, "platform =1; ssh_key =1; access +[admins]"),
                // prune off
                plan("with prune off, deletes nothing that left the document", Db.of(SOURCE, KEYS_A_B, WEB_01_02, CREDENTIAL, GRANT),
                        KEY_A + WEB_01 + NO_PRUNE, "platform =1; ssh_key =1"),
                plan("with prune off, an empty document deletes nothing and is not refused", Db.of(SOURCE, KEY_A, WEB_01),
                        NO_PRUNE, ""),
                // other owners
                plan("never prunes what another source owns", Db.of(OTHER, KEYS_A_B, WEB_01_02).and(SOURCE, KEY_A), KEY_A,
                        "ssh_key =1"),
                plan("never prunes what the API made", Db.of(Source.API, WEB_01_02).and(SOURCE, KEY_A), KEY_A, "ssh_key =1"),
                plan("refers to a key another owner holds", Db.of(Source.API, KEY_A).and(SOURCE, WEB_01), WEB_01 + GRANT,
                        "platform =1; access +[admins]"),
                // allow_empty
                plan("with allow_empty, a revision may delete every platform and key", Db.of(SOURCE, KEY_A, WEB_01), ALLOW_EMPTY,
                        "platform -[web-01]; ssh_key -[alice]"));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                refused("refuses a platform the API made", Db.of(Source.API, WEB_01), WEB_01,
                        "platform 'web-01' is defined here and is also created through the API"),
                refused("refuses a key another source manages, naming its revision", Db.of(OTHER, KEY_A), KEY_A,
                        "ssh_key 'alice' is defined here and is also managed by GitOps source 'team' at revision 0123456789ab"),
                refused("refuses a credential another source manages", Db.of(OTHER, CREDENTIAL), KEY_A + CREDENTIAL,
                        "credential 'deployer' is defined here and is also managed by GitOps source 'team'"),
                refused("refuses a grant the API made", Db.of(Source.API, KEY_A, WEB_01, GRANT).and(SOURCE, KEY_B_AS_ALICE),
                        WEB_01 + GRANT,
                        "access grant 'admins' is defined here and is also created through the API"),
                refused("without allow_empty, refuses a revision that deletes every platform", Db.of(SOURCE, KEY_A, WEB_01), KEY_A,
                        "this revision would delete every platform of source 'ops'; if that is intended, set settings.allow_empty: true"),
                refused("without allow_empty, refuses a revision that deletes every key", Db.of(SOURCE, KEY_A, WEB_01), WEB_01,
                        "this revision would delete every ssh_key of source 'ops'; if that is intended, set settings.allow_empty: true"),
                refused("refuses a grant naming a key defined nowhere", Db.of(SOURCE, WEB_01), WEB_01 + GRANT,
                        "access 'admins': key 'alice' is defined neither in the document nor in testum"),
                refused("refuses a platform whose credential is defined nowhere", Db.empty(), WEB_01_WITH_CREDENTIAL,
                        "platform 'web-01': credential 'deployer' is defined neither in the document nor in testum"),
                refused("refuses a prune that would break another owner's grant",
                        Db.of(SOURCE, KEYS_A_B, WEB_01).and(Source.API, GRANT_OF_BOB), KEY_A + WEB_01,
                        "ssh_key 'bob' left the document and would be deleted, but access grant 'admins' (created through the API) "
                                + "still uses it"),
                refused("refuses a public key that another key already holds", Db.of(Source.API, KEY_A), KEY_B_AS_ALICE,
                        "ssh_key 'bob': this public key is already in testum as key 'alice'"));
    }

    private static Arguments plan(String behaviour, Db db, String document, String expected) {
        return Arguments.of(behaviour, db, document, expected);
    }

    private static Arguments refused(String behaviour, Db db, String document, String error) {
        return Arguments.of(behaviour, db, document, error);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void plansWhatTheDocumentChanges(String behaviour, Db db, String document, String expected) {
        Planner.Result result = Planner.plan(parse(document), db.snapshot(), SOURCE);

        assertAll(behaviour,
                () -> assertEquals(List.of(), result.errors().stream().map(FieldError::message).toList()),
                () -> assertEquals(expected, describe(result.plan())),
                () -> assertEquals(!expected.matches("[^+~-]*"), result.plan().changes(), "whether the plan changes anything"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWhatCannotBeApplied(String behaviour, Db db, String document, String error) {
        Planner.Result result = Planner.plan(parse(document), db.snapshot(), SOURCE);

        List<String> errors = result.errors().stream().map(FieldError::message).toList();
        assertTrue(errors.stream().anyMatch(e -> e.startsWith(error)), behaviour + ": expected an error '" + error
                + "', got " + errors);
    }

    /** {@code kind +[created] ~[updated] -[deleted] =unchanged} for each kind the plan touches, in the API's order. */
    private static String describe(Plan plan) {
        List<String> kinds = new ArrayList<>();
        describe("platform", plan.platform(), kinds);
        describe("ssh_key", plan.sshKey(), kinds);
        describe("credential", plan.credential(), kinds);
        describe("access", plan.access(), kinds);
        return String.join("; ", kinds);
    }

    private static void describe(String kind, Plan.KindPlan p, List<String> kinds) {
        List<String> parts = new ArrayList<>();
        if (!p.created().isEmpty()) {
            parts.add("+" + p.created());
        }
        if (!p.updated().isEmpty()) {
            parts.add("~" + p.updated());
        }
        if (!p.deleted().isEmpty()) {
            parts.add("-" + p.deleted());
        }
        if (p.unchanged() > 0) {
            parts.add("=" + p.unchanged());
        }
        if (!parts.isEmpty()) {
            kinds.add(kind + " " + String.join(" ", parts));
        }
    }

    private static DesiredDocument parse(String yaml) {
        return DocumentParser.parse(List.of(new DocumentParser.SourceFile("testum.yaml", ("version: 1\n" + yaml).getBytes(UTF_8))));
    }
}

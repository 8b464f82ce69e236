package io.testum.gitops;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.testum.common.FieldError;
import io.testum.gitops.DesiredDocument.AccessEntry;
import io.testum.gitops.DesiredDocument.Drift;
import io.testum.gitops.DesiredDocument.Location;
import io.testum.gitops.DesiredDocument.PlatformEntry;
import io.testum.gitops.DesiredDocument.Settings;
import io.testum.gitops.DocumentParser.SourceFile;
import io.testum.inventory.PlatformRequest;
import io.testum.keys.AccessGrantRequest;
import io.testum.keys.TestKeys;

class DocumentParserTest {

    /** A host-key pin as ssh-keygen -l prints it (of an ed25519 key made for this test). */
    private static final String HOST_KEY = "SHA256:1Fc74Z/uXkuMgg6iu3RkrIy73c3japJlEugFrRtQm0A";

    /** SPEC §3's example, with real keys. */
    private static final String SPEC_EXAMPLE = """
            version: 1
            ssh_keys:
              - name: alice
                public_key: "%s"
                description: Alice's laptop
              - name: bob
                public_key: "%s"
            credentials:
              - name: deployer
                secret_ref: testum-deployer
            platforms:
              - name: web-01
                host: 192.0.2.10
                port: 22
                username: deploy
                auth_method: key
                credential: deployer
                host_key: "%s"
                labels: {env: prod, role: web}
                authorized_keys_path: ~/.ssh/authorized_keys
                authorized_keys_mode: merge
                description: Production web server
            access:
              - name: web-admins
                keys: [alice, bob]
                platforms: [web-01]
                selector: {role: web}
                user: deploy
                options: 'from="10.0.0.0/8",no-agent-forwarding'
                expires: 2026-12-31T18:00:00Z
            settings:
              prune: true
              allow_empty: false
              drift: repair
              unmanaged: keep
            """.formatted(TestKeys.ED25519, TestKeys.ED25519_B, HOST_KEY);

    /** The start of a valid platform; a case adds one line at line 6. */
    private static final String PLATFORM = """
            platforms:
              - name: web-01
                host: 192.0.2.10
                username: deploy
                auth_method: key
            """;

    // ---- documents that parse

    @Test
    void parsesEverySectionOfTheSpecExample() {
        DesiredDocument document = parse(file("testum.yaml", SPEC_EXAMPLE));

        assertEquals(List.of("alice", "bob"), document.keys().stream().map(DesiredDocument.KeyEntry::name).toList());
        assertEquals("ssh-ed25519", document.keys().get(0).parsed().type());
        assertNotNull(document.keys().get(1).parsed().fingerprint());
        assertEquals("Alice's laptop", document.keys().get(0).description());
        assertEquals("testum-deployer", document.credentials().get(0).secretRef());
        assertEquals(new PlatformRequest("web-01", "192.0.2.10", 22, "deploy", "key", "deployer", HOST_KEY,
                Map.of("env", "prod", "role", "web"), "~/.ssh/authorized_keys", "merge", "Production web server"),
                document.platforms().get(0).request());
        assertEquals(new AccessGrantRequest("web-admins", List.of("alice", "bob"), List.of("web-01"),
                Map.of("role", "web"), "deploy", "from=\"10.0.0.0/8\",no-agent-forwarding",
                Instant.parse("2026-12-31T18:00:00Z"), null), document.access().get(0).request());
        assertEquals(new Settings(true, false, Drift.REPAIR, io.testum.deploy.UnmanagedMode.KEEP), document.settings());
    }

    @Test
    void remembersWhereEachEntryAndFieldWasWritten() {
        DesiredDocument document = parse(file("testum.yaml", SPEC_EXAMPLE));
        PlatformEntry platform = document.platforms().get(0);
        AccessEntry grant = document.access().get(0);

        assertAll(
                () -> assertEquals(new Location("testum.yaml", 3, 5), document.keys().get(0).where().entry()),
                () -> assertEquals(new Location("testum.yaml", 12, 5), platform.where().entry()),
                () -> assertEquals(new Location("testum.yaml", 17, 17), platform.where().of("credential")),
                () -> assertEquals(new Location("testum.yaml", 19, 19), platform.where().of("labels.env")),
                () -> assertEquals(new Location("testum.yaml", 25, 19), grant.where().of("keys[1]")),
                () -> assertEquals(new Location("testum.yaml", 26, 17), grant.where().of("platforms[0]")),
                () -> assertEquals(new Location("testum.yaml", 27, 22), grant.where().of("selector.role")),
                () -> assertEquals(new Location("testum.yaml", 24, 5), grant.where().of("description")));
    }

    @Test
    void readsTheEarlierFormatWithSshKeyNameAndAPasswordPlatformWithoutCredential() {
        DesiredDocument document = parse(file("testum-config.yaml", io.testum.testing.EarlierFormat.CONFIG));

        PlatformEntry web = document.platforms().get(0);
        PlatformEntry db = document.platforms().get(1);
        assertEquals("prod-key", web.request().credential());
        assertEquals(new Location("testum-config.yaml", 12, 19), web.where().of("credential"));
        assertEquals("password", db.request().authMethod());
        assertNull(db.request().credential());
        assertEquals(2048, document.keys().get(0).parsed().bits());
    }

    @Test
    void mergesTheFilesOfAFolderKeepingTheirOrder() {
        DesiredDocument document = parse(
                file("team/keys.yaml", """
                        ssh_keys:
                          - name: alice
                            public_key: "%s"
                          - name: bob
                            public_key: "%s"
                        """.formatted(TestKeys.ED25519, TestKeys.ED25519_B)),
                file("team/web.yaml", PLATFORM + """
                        access:
                          - name: web-admins
                            keys: [alice, bob]
                            platforms: [web-01]
                        """));

        assertEquals(List.of("alice", "bob"), document.keys().stream().map(DesiredDocument.KeyEntry::name).toList());
        assertEquals("team/keys.yaml", document.keys().get(1).where().entry().file());
        assertEquals(new Location("team/web.yaml", 2, 5), document.platforms().get(0).where().entry());
        assertEquals(new Location("team/web.yaml", 7, 5), document.access().get(0).where().entry());
    }

    @Test
    void takesDefaultsForWhatIsLeftOut() {
        DesiredDocument document = parse(file("t.yaml", PLATFORM));

        assertEquals(22, document.platforms().get(0).request().port());
        assertEquals(Map.of(), document.platforms().get(0).request().labels());
        assertEquals(Settings.DEFAULTS, document.settings());
    }

    @Test
    void letsEmptyFilesAndFilesOfCommentsContributeNothing() {
        DesiredDocument document = parse(file("empty.yaml", ""), file("notes.yaml", "# nothing yet\n"),
                file("platforms.yaml", PLATFORM));

        assertEquals(1, document.platforms().size());
        assertTrue(document.keys().isEmpty());
    }

    @Test
    void takesTheTextOfNumbersAndBooleansWhereTextIsExpected() {
        DesiredDocument document = parse(file("t.yaml", """
                platforms:
                  - name: 1234
                    host: 192.0.2.10
                    username: deploy
                    auth_method: key
                    labels: {tier: 1, canary: true}
                    description: 3.5
                """));

        PlatformRequest request = document.platforms().get(0).request();
        assertEquals("1234", request.name());
        assertEquals(Map.of("tier", "1", "canary", "true"), request.labels());
        assertEquals("3.5", request.description());
    }

    @Test
    void triesTheEarlierFormatsFileNamesInOrder() {
        assertEquals(List.of("testum-config.yaml", "testum.yaml", "testum-config.yml", "config/testum.yaml",
                ".testum/config.yaml"), DocumentParser.DEFAULT_PATHS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"minimal", "team"})
    void parsesTheSampleDocuments(String sample) throws IOException {
        Path folder = Path.of("gitops-samples", sample);
        List<SourceFile> files;
        try (Stream<Path> paths = Files.list(folder)) {
            files = paths.filter(path -> path.toString().endsWith(".yaml")).sorted()
                    .map(path -> new SourceFile(folder.relativize(path).toString(), read(path))).toList();
        }
        assertFalse(files.isEmpty());

        DesiredDocument document = parse(files.toArray(SourceFile[]::new));

        assertFalse(document.keys().isEmpty());
        assertFalse(document.platforms().isEmpty());
        assertFalse(document.access().isEmpty());
    }

    // ---- documents that are refused: one rule per row, each problem at its exact place

    /** One refused document: the one problem expected, where, and a fragment of its message. */
    record Refusal(String behaviour, List<SourceFile> files, String inFile, int line, int column, String message) {

        static Refusal of(String behaviour, String yaml, int line, int column, String message) {
            return new Refusal(behaviour, List.of(file("t.yaml", yaml)), "t.yaml", line, column, message);
        }

        @Override
        public String toString() {
            return behaviour;
        }
    }

    static Stream<Refusal> refusals() {
        return Stream.of(
                Refusal.of("malformed YAML, at the parser's mark", """
                        platforms:
                          - name: web-01 host: 192.0.2.10
                        """, 2, 22, "malformed YAML: mapping values are not allowed here"),
                Refusal.of("a second YAML document in a file", """
                        ssh_keys: []
                        ---
                        platforms: []
                        """, 2, 1, "a second YAML document starts here"),
                new Refusal("a file over the size limit",
                        List.of(new SourceFile("big.yaml", spaces(DocumentParser.MAX_FILE_BYTES + 1))),
                        "big.yaml", 1, 1, "at most 16777216 bytes"),
                Refusal.of("an alias bomb (billion laughs)", billionLaughs(), 7, 23, "more than 50 aliases to lists or mappings"),
                Refusal.of("a long text repeated by aliases beyond the size limit",
                        "a: &big " + "x".repeat(1_000_000) + "\n"
                                + "b: [" + String.join(", ", Collections.nCopies(17, "*big")) + "]\n",
                        2, 95, "with its aliases written out, the document's text would exceed 16777216 characters"),
                Refusal.of("nesting deeper than the limit", "ssh_keys: " + "[".repeat(20) + "]".repeat(20) + "\n",
                        1, 30, "nested more than 20 levels deep"),
                Refusal.of("nesting a hundred thousand levels deep, without overflowing the stack",
                        "ssh_keys: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n",
                        1, 30, "nested more than 20 levels deep"),
                Refusal.of("nesting that aliases pull in beyond the limit",
                        "a: &a " + "[".repeat(10) + "]".repeat(10) + "\n"
                                + "b: " + "[".repeat(10) + "*a" + "]".repeat(10) + "\n",
                        2, 14, "nested more than 20 levels deep"),
                Refusal.of("an alias inside what it names", "ssh_keys: &loop [*loop]\n", 1, 18,
                        "alias *loop refers to a list or mapping that contains it"),
                Refusal.of("an alias to no anchor", "ssh_keys: *nothing\n", 1, 11, "alias *nothing refers to no anchor"),
                new Refusal("a file that is not UTF-8",
                        List.of(new SourceFile("t.yaml", "ssh_keys:\n  - name: al\u00ffce\n".getBytes(ISO_8859_1))),
                        "t.yaml", 2, 13, "the file is not UTF-8 text: byte 0xFF at offset 22"),
                Refusal.of("a top level that is not a mapping", "- name: alice\n", 1, 1,
                        "the top level must be a mapping with some of the keys version, ssh_keys"),
                Refusal.of("an unknown top-level key", """
                        version: 1
                        hosts:
                          - name: web-01
                        """, 2, 1, "unknown top-level key 'hosts'; expected one of: version, ssh_keys, credentials"),
                Refusal.of("a version other than 1", "version: 2\n", 1, 10, "version: must be 1"),
                Refusal.of("a section that is not a list", "platforms: {name: web-01}\n", 1, 12,
                        "platforms: must be a list of platforms"),
                Refusal.of("an entry that is not a mapping", "ssh_keys:\n  - alice\n", 2, 5,
                        "ssh_keys[0]: must be a mapping of fields"),
                Refusal.of("a key that is not text", "? [a, b]\n: c\n", 1, 3, "a key must be text, found a list"),
                Refusal.of("an unknown field in an entry", PLATFORM + "    hostname: web-01.example.com\n", 6, 5,
                        "platforms[0] (web-01): unknown field 'hostname'; expected one of: name, host, port"),
                Refusal.of("a field given twice", PLATFORM + "    host: 192.0.2.11\n", 6, 5,
                        "platforms[0] (web-01): host: is given twice; the first is at t.yaml:3:5"),
                Refusal.of("a port that is not a number", PLATFORM + "    port: twenty-two\n", 6, 11,
                        "port: must be a whole number, found the text 'twenty-two'"),
                Refusal.of("a port tagged !!int that is not a number", PLATFORM + "    port: !!int twenty-two\n", 6, 11,
                        "port: must be a whole number, found 'twenty-two'"),
                Refusal.of("a port beyond 32 bits", PLATFORM + "    port: 0x100000000\n", 6, 11,
                        "port: 0x100000000 is too large"),
                Refusal.of("labels that are not a mapping", PLATFORM + "    labels: [prod, web]\n", 6, 13,
                        "labels: must be a mapping of label keys to values, e.g. {env: prod, role: web}, found a list"),
                Refusal.of("a host that is not text", PLATFORM.replace("host: 192.0.2.10", "host: [192.0.2.10]"), 3, 11,
                        "host: must be text, found a list"),
                Refusal.of("grant keys that are not a list", """
                        access:
                          - name: web-admins
                            keys: alice
                            platforms: [web-01]
                        """, 3, 11,
                        "access[0] (web-admins): keys: must be a list of key names, e.g. [alice, bob], found the text 'alice'"),
                Refusal.of("prune that is not a boolean", "settings:\n  prune: yes\n", 2, 10,
                        "settings: prune: must be true or false, found the text 'yes'"),
                Refusal.of("a drift mode other than repair or report", "settings:\n  drift: fix\n", 2, 10,
                        "settings: drift: must be repair"),
                Refusal.of("an unmanaged mode other than keep, report or remove", "settings:\n  unmanaged: purge\n", 2, 14,
                        "settings: unmanaged: must be keep"),
                Refusal.of("a missing required field, at the entry", """
                        platforms:
                          - name: web-01
                            username: deploy
                            auth_method: key
                        """, 2, 5, "platforms[0] (web-01): host: is required"),
                Refusal.of("a public key with bad base64", key("ssh-ed25519 AAAA!!!!not-base64 alice@laptop"), 3, 17,
                        "ssh_keys[0] (alice): public_key: has key data that is not valid base64"),
                Refusal.of("a public key of an unknown type", key("ssh-foo AAAAC3NzaC1lZDI1NTE5 alice@laptop"), 3, 17,
                        "public_key: has the unknown key type 'ssh-foo'"),
                Refusal.of("an RSA key under 2048 bits", key(TestKeys.RSA_1024), 3, 17,
                        "public_key: is an RSA key of 1024 bits"),
                Refusal.of("a DSA key", key(TestKeys.DSA), 3, 17, "public_key: is a DSA key (ssh-dss); DSA is refused"),
                Refusal.of("a platform name that is not a DNS label", PLATFORM.replace("name: web-01", "name: Web_01"), 2, 11,
                        "platforms[0] (Web_01): name: must be a lowercase DNS label"),
                Refusal.of("an invalid host", PLATFORM.replace("192.0.2.10", "999.0.2.10"), 3, 11,
                        "host: '999.0.2.10' is not a valid IPv4 address"),
                Refusal.of("a port out of range", PLATFORM + "    port: 70000\n", 6, 11,
                        "platforms[0] (web-01): port: must be between 1 and 65535"),
                Refusal.of("an unknown auth method", PLATFORM.replace("auth_method: key", "auth_method: token"), 5, 18,
                        "auth_method: must be key or password"),
                Refusal.of("a host key that is not a SHA256 fingerprint", PLATFORM + "    host_key: \"MD5:aa:bb\"\n", 6, 15,
                        "host_key: must be a SHA256 fingerprint"),
                Refusal.of("an invalid label value, at the value", PLATFORM + "    labels: {env: \"prod env\"}\n", 6, 19,
                        "labels.env: value 'prod env' must be empty or"),
                Refusal.of("an unsafe authorized_keys path", PLATFORM + "    authorized_keys_path: ~/../etc/passwd\n", 6, 27,
                        "authorized_keys_path: must not contain '.' or '..' segments"),
                Refusal.of("credential and its earlier name ssh_key_name both given",
                        PLATFORM + "    credential: deployer\n    ssh_key_name: deployer\n", 7, 5,
                        "ssh_key_name: is the earlier name of credential; give one of them, not both"),
                Refusal.of("secret material in a credential", """
                        credentials:
                          - name: deployer
                            password: hunter2
                        """, 3, 5, "credentials[0] (deployer): secret material does not belong in Git: 'password'"),
                Refusal.of("a secret_ref that is not a Kubernetes Secret name", """
                        credentials:
                          - name: deployer
                            secret_ref: Testum_Deployer
                        """, 3, 17, "secret_ref: 'Testum_Deployer' is not a Kubernetes Secret name"),
                Refusal.of("a grant that reaches no platform", """
                        access:
                          - name: web-admins
                            keys: [alice]
                        """, 2, 5, "platforms: a grant needs platforms, a selector, or both"),
                Refusal.of("an invalid key name in a grant, at the item", """
                        access:
                          - name: web-admins
                            keys: [alice, "bob smith"]
                            platforms: [web-01]
                        """, 3, 19, "keys[1]: must be 1 to 63 characters"),
                Refusal.of("invalid authorized_keys options", """
                        access:
                          - name: web-admins
                            keys: [alice]
                            platforms: [web-01]
                            options: 'no-pty,fly'
                        """, 5, 14, "options: 'fly' is not an authorized_keys option"),
                Refusal.of("an expiry that is not a date and time", """
                        access:
                          - name: web-admins
                            keys: [alice]
                            platforms: [web-01]
                            expires: next tuesday
                        """, 5, 14, "expires: 'next tuesday' is not a date and time"),
                Refusal.of("a name used twice in one file", PLATFORM + """
                          - name: web-01
                            host: 192.0.2.11
                            username: deploy
                            auth_method: key
                        """, 6, 5, "platform 'web-01' is already defined at t.yaml:2:5"),
                new Refusal("a name used in two files",
                        List.of(file("a.yaml", key(TestKeys.ED25519)), file("b.yaml", key(TestKeys.ED25519_B))),
                        "b.yaml", 2, 5, "key 'alice' is already defined at a.yaml:2:5"),
                Refusal.of("one public key under two names", """
                        ssh_keys:
                          - name: alice
                            public_key: "%s"
                          - name: alice-laptop
                            public_key: "%s"
                        """.formatted(TestKeys.ED25519, TestKeys.ED25519), 5, 17,
                        "public_key: is the same key (SHA256:"),
                new Refusal("settings in two files",
                        List.of(file("a.yaml", "settings:\n  prune: false\n"), file("b.yaml", "settings:\n  drift: report\n")),
                        "b.yaml", 1, 1, "settings: are already given at a.yaml:1:1"));
    }

    @ParameterizedTest(name = "refuses {0}")
    @MethodSource("refusals")
    void refusesTheDocumentWithTheProblemAtItsPlace(Refusal refusal) {
        // The time limit guards against blow-ups (an endless alias), it is not a speed claim.
        DocumentException refused = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> assertThrows(DocumentException.class, () -> DocumentParser.parse(refusal.files())));

        assertEquals(1, refused.errors().size(), () -> "one problem expected: " + refused.errors());
        FieldError error = refused.errors().get(0);
        assertAll(
                () -> assertEquals(refusal.inFile(), error.file(), "file"),
                () -> assertEquals(refusal.line(), error.line(), () -> "line of " + error.message()),
                () -> assertEquals(refusal.column(), error.column(), () -> "column of " + error.message()),
                () -> assertTrue(error.message().contains(refusal.message()), () -> error.message()),
                () -> assertNull(error.field()));
    }

    @Test
    void reportsEveryProblemOfEveryFileAtOnceInFileOrder() {
        DocumentException refused = assertThrows(DocumentException.class, () -> DocumentParser.parse(List.of(
                file("a.yaml", """
                        ssh_keys:
                          - name: alice
                            public_key: "%s"
                        platforms:
                          - name: web-01
                            host: 192.0.2.10
                            port: 0
                            username: deploy
                            auth_method: key
                            colour: blue
                        """.formatted(TestKeys.DSA)),
                file("b.yaml", """
                        access:
                          - name: web-admins
                            keys: [alice]
                            platforms: [web-01]
                            expires: soon
                        settings:
                          drift: ignore
                        """))));

        assertEquals(List.of("a.yaml:3:17", "a.yaml:7:11", "a.yaml:10:5", "b.yaml:5:14", "b.yaml:7:10"),
                refused.errors().stream().map(e -> e.file() + ":" + e.line() + ":" + e.column()).toList());
        assertEquals(400, refused.status());
        assertEquals("urn:testum:problem:invalid-document", refused.toProblem().type());
        assertEquals("5 problems in the desired-state document; the first: a.yaml:3:17: "
                + refused.errors().get(0).message(), refused.getMessage());
    }

    @Test
    void neverRepeatsSecretMaterialInItsMessages() {
        DocumentException refused = assertThrows(DocumentException.class, () -> parse(file("t.yaml", """
                credentials:
                  - name: deployer
                    private_key: "-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjE="
                    passphrase: correct-horse
                """)));

        assertEquals(2, refused.errors().size());
        assertTrue(refused.errors().stream().noneMatch(e -> e.message().contains("b3BlbnNzaC1rZXktdjE")
                || e.message().contains("correct-horse")), () -> refused.errors().toString());
    }

    @Test
    void readsASchedulesSectionWithItsTargetsAndRemembersWhereTheyWereWritten() {
        DesiredDocument document = parse(file("s.yaml", """
                schedules:
                  - name: nightly-disk-check
                    cron: "0 3 * * *"
                    timezone: Europe/Berlin
                    script: |
                      df -h
                    interpreter: bash
                    args: [--all]
                    targets: {platforms: [web-01], selector: {env: prod}}
                    misfire: run-once
                """));
        DesiredDocument.ScheduleEntry schedule = document.schedules().get(0);
        assertAll(
                () -> assertEquals("nightly-disk-check", schedule.request().name()),
                () -> assertEquals("df -h\n", schedule.request().script()),
                () -> assertEquals(List.of("--all"), schedule.request().args()),
                () -> assertEquals(List.of("web-01"), schedule.request().targets().platforms()),
                () -> assertEquals(Map.of("env", "prod"), schedule.request().targets().selector()),
                () -> assertNull(schedule.request().env()),
                () -> assertEquals(new Location("s.yaml", 9, 27), schedule.where().nearest("targets.platforms[0]")),
                () -> assertEquals(new Location("s.yaml", 9, 27), schedule.where().nearest("targets.platforms[0].x")),
                () -> assertEquals(new Location("s.yaml", 2, 5), schedule.where().nearest("nothing")));
    }

    @Test
    void refusesAnUnknownTargetFieldAndATwiceUsedScheduleNameAtTheirLines() {
        DocumentException refused = assertThrows(DocumentException.class, () -> parse(file("s.yaml", """
                schedules:
                  - name: a
                    cron: "0 3 * * *"
                    command: uptime
                    targets: {hosts: [web-01]}
                  - name: a
                    cron: "*/5 * * * *"
                    command: uptime
                    targets: {platforms: [web-01]}
                """)));
        assertEquals(List.of(5, 6), refused.errors().stream().map(FieldError::line).toList(), refused.errors()::toString);
        assertTrue(refused.errors().get(0).message().contains("hosts"), refused.errors()::toString);
        assertTrue(refused.errors().get(1).message().contains("already defined at s.yaml:2"), refused.errors()::toString);
    }

    // ---- helpers

    private static DesiredDocument parse(SourceFile... files) {
        return DocumentParser.parse(Arrays.asList(files));
    }

    private static SourceFile file(String path, String yaml) {
        return new SourceFile(path, yaml.getBytes(UTF_8));
    }

    /** A document of one key named alice, its public_key value at 3:17. */
    private static String key(String publicKey) {
        return """
                ssh_keys:
                  - name: alice
                    public_key: "%s"
                """.formatted(publicKey);
    }

    private static byte[] spaces(int count) {
        byte[] content = new byte[count];
        Arrays.fill(content, (byte) ' ');
        return content;
    }

    /** Nine levels of nine aliases each; the 51st alias to a list is the 6th of line 7. */
    private static String billionLaughs() {
        StringBuilder yaml = new StringBuilder("a: &a [")
                .append(String.join(",", Collections.nCopies(9, "\"lol\""))).append("]\n");
        for (char level = 'b'; level <= 'i'; level++) {
            String alias = "*" + (char) (level - 1);
            yaml.append(level).append(": &").append(level).append(" [")
                    .append(String.join(",", Collections.nCopies(9, alias))).append("]\n");
        }
        return yaml.toString();
    }

    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

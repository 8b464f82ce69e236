package io.testum.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine.ParseResult;

/** How testumctl prints: tables, field lines, JSON and YAML, and how --output is chosen. */
class OutputTest {

    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private Terminal terminal() {
        return new Terminal(new ByteArrayInputStream(new byte[0]), print, new PrintStream(err, true, StandardCharsets.UTF_8), home,
                Map.of(), null);
    }

    private static Map<String, Object> grant() {
        Map<String, Object> grant = new LinkedHashMap<>();
        grant.put("name", "web-admins");
        grant.put("keys", List.of("alice", "bob"));
        grant.put("selector", Map.of("role", "web"));
        grant.put("user", null);
        grant.put("expired", false);
        grant.put("options", "from=\"10.0.0.0/8\"");
        grant.put("description", "true");
        grant.put("bits", 256);
        return grant;
    }

    private BaseCommand.JsonOption parsedOutput(String... args) {
        ParseResult result = Testumctl.commandLine(terminal()).parseArgs(args);
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return ((KeyCommands.ListCommand) result.commandSpec().userObject()).output;
    }

    @Test
    void aTableAlignsColumnsUnderTheirHeadingsAndShowsEmptyCellsAsDash() {
        Map<String, Object> other = new LinkedHashMap<>(Map.of("name", "db", "keys", List.of()));
        Output.table(print, List.of(grant(), other), List.of(Output.column("NAME", "name"), Output.column("KEYS", "keys"),
                Output.column("SELECTOR", "selector"), Output.column("USER", "user")));

        assertThat(printed().lines()).containsExactly(
                "NAME        KEYS       SELECTOR  USER",
                "web-admins  alice,bob  role=web  -",
                "db          -          -         -");
    }

    @Test
    void oneObjectForPeopleIsAFieldPerLineAligned() {
        Output.fields(print, grant());

        assertThat(printed().lines()).startsWith("name:        web-admins", "keys:        alice,bob", "selector:    role=web",
                "user:        -", "expired:     false");
    }

    @Test
    void jsonIsTheApisFieldsAsTheyAre() {
        Output.structured(print, Output.Format.JSON, grant());

        assertEquals(grant(), Json.parse(printed()));
        assertThat(printed()).contains("\"user\" : null").contains("\"bits\" : 256");
    }

    @Test
    void yamlKeepsTheFieldsAndQuotesWhatYamlWouldReadOtherwise() {
        Output.structured(print, Output.Format.YAML, grant());

        assertThat(printed()).doesNotStartWith("---").contains("name: web-admins\n").contains("keys:\n- alice\n- bob\n")
                .contains("selector:\n  role: web\n").contains("user: null\n").contains("expired: false\n")
                .contains("description: \"true\"\n").contains("bits: 256\n");
        Object read = new org.yaml.snakeyaml.Yaml().load(printed());
        assertEquals(grant(), read);
    }

    @Test
    void outputIsTableUnlessAskedForHereOrGlobally() {
        assertEquals(Output.Format.TABLE, parsedOutput("keys", "list").format());
        assertEquals(Output.Format.YAML, parsedOutput("keys", "list", "--output", "yaml").format());
        assertEquals(Output.Format.JSON, parsedOutput("keys", "list", "--output=JSON").format());
        assertEquals(Output.Format.JSON, parsedOutput("keys", "list", "--json").format());
        assertEquals(Output.Format.YAML, parsedOutput("--output", "yaml", "keys", "list").format());
        assertEquals(Output.Format.TABLE, parsedOutput("--output", "yaml", "keys", "list", "--output", "table").format());
        assertThat(parsedOutput("--output", "json", "keys", "list").structured()).isTrue();
    }

    @Test
    void anUnknownFormatIsAUsageErrorThatListsTheFormats() {
        assertEquals(2, Testumctl.run(new String[] { "keys", "list", "--output", "xml" }, terminal()));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'xml' is not a format; use table, json or yaml");
        assertEquals(2, Testumctl.run(new String[] { "--output", "csv", "keys", "list" }, terminal()));
    }
}

package io.testum.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** How testumctl reads its command line, without a service: options, positionals, help and exit codes. */
class CommandLineTest {

    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Terminal terminal() {
        return new Terminal(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), home, Map.of(), null);
    }

    private int run(String... args) {
        return Testumctl.run(args, terminal());
    }

    /** The command object picocli fills for {@code args}, without running it. */
    @SuppressWarnings("unchecked")
    private <T> T parsed(Class<T> type, String... args) {
        ParseResult result = Testumctl.commandLine(terminal()).parseArgs(args);
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        Object command = result.commandSpec().userObject();
        assertThat(command).isInstanceOf(type);
        return (T) command;
    }

    @Test
    void takesOptionsInBothFormsAndPositionalsInAnyOrder() {
        PlatformCommands.AddCommand add = parsed(PlatformCommands.AddCommand.class, "platforms", "add", "web-01",
                "--host=192.0.2.10", "--json", "-u", "deploy", "--label", "env=prod", "-l", "role=web");

        assertEquals("web-01", add.name.positional);
        assertEquals("192.0.2.10", add.host);
        assertEquals("deploy", add.username);
        assertEquals(Map.of("env", "prod", "role", "web"), add.labels);
        assertEquals("key", add.authMethod);
        assertThat(add.output.json).isTrue();
    }

    @Test
    void aDoubleDashEndsOptionsSoACommandMayStartWithADash() {
        ExecCommand exec = parsed(ExecCommand.class, "exec", "--wait", "host-0", "--", "--json");

        assertThat(exec.wait).isTrue();
        assertThat(exec.output.json).isFalse();
        assertEquals(List.of("host-0", "--json"), exec.words);
    }

    @Test
    void subcommandsHaveTheirAliases() {
        assertThat(parsed(PlatformCommands.ListCommand.class, "platforms", "ls")).isNotNull();
        assertThat(parsed(KeyCommands.RemoveCommand.class, "keys", "rm", "alice").names).containsExactly("alice");
        assertThat(parsed(BackupCommands.Restore.class, "backup", "restore", "-").file).isEqualTo("-");
    }

    @Test
    void anUnknownOptionAMissingValueOrAMissingCommandExitsWith2AndSaysWhy() {
        assertEquals(2, run("platforms", "list", "--colour"));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown option: '--colour'")
                .contains("Run 'testumctl platforms list --help'");
        err.reset();
        assertEquals(2, run("platforms", "add", "web-01", "--port"));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Missing required parameter for option '--port'");
        err.reset();
        assertEquals(2, run("exec", "--selector", "env"));
        assertEquals(2, run("platforms"));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("platforms needs a subcommand: list, add, remove");
        assertEquals(2, run());
        assertEquals(2, run("frobnicate"));
    }

    @Test
    void aPortThatIsNotANumberIsAUsageError() {
        assertEquals(2, run("platforms", "add", "web-01", "--port", "ssh"));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'ssh' is not an int");
    }

    @Test
    void keysAddNeedsExactlyOneOfAKeyOrAFile() {
        assertEquals(2, run("keys", "add", "alice"));
        assertEquals(2, run("keys", "add", "alice", "--public-key", "ssh-ed25519 AAAA", "--file", "x.pub"));
    }

    @Test
    void helpAndVersionExitZero() {
        assertEquals(0, run("help"));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: testumctl").contains("exec").contains("gitops");
        out.reset();
        assertEquals(0, run("exec", "--help"));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--selector=k=v").contains("--max-failures=N");
        out.reset();
        assertEquals(0, run("version"));
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("testumctl ");
        assertEquals(0, run("--version"));
    }

    @Test
    void aUrlWithoutASchemeIsAUsageError() {
        assertEquals(2, Testumctl.run(new String[] { "keys", "list" }, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), home,
                Map.of("TESTUM_URL", "localhost:8080", "TESTUM_TOKEN", "tsm_x")));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("the URL must start with http:// or https://");
    }

    @Test
    void aSourceIsNamedAsAnArgumentOrWithSourceButNotBothDifferently() {
        assertEquals("ops", parsed(GitopsCommands.Sync.class, "sources", "sync", "ops", "--wait").sourceName.positional);
        assertEquals("ops", parsed(GitopsCommands.Diff.class, "gitops", "diff", "--source", "ops", "--ref", "main").sourceName.option);
        assertEquals(2, run("sources", "diff", "ops", "--source", "team"));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("takes one source, got ops and --source team");
    }

    @Test
    void grantsUpdateChangesOnlyWhatIsGiven() {
        GrantCommands.Update update = parsed(GrantCommands.Update.class, "grants", "update", "web-admins", "--keys", "alice,bob",
                "-k", "carol");
        Map<String, Object> body = update.fields.over(Map.of("name", "web-admins", "keys", List.of("alice"), "user", "deploy"));
        assertEquals(Map.of("name", "web-admins", "keys", List.of("alice", "bob", "carol"), "user", "deploy"), body);
    }

    @Test
    void commandLineOfTheRootNamesEveryCommand() {
        CommandLine cli = Testumctl.commandLine(terminal());
        assertThat(cli.getSubcommands().keySet()).contains("login", "logout", "whoami", "platforms", "keys", "credentials", "grants",
                "access", "exec", "runs", "schedules", "sources", "gitops", "unmanaged-keys", "users", "tokens", "backup", "completion",
                "version", "help");
    }
}

package io.testum.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * testumctl, the command-line client of testum, packaged as {@code cli/target/testumctl.jar} and
 * started by {@code bin/testumctl}. The command line is parsed by picocli: every command is a class
 * of its own, and {@code testumctl COMMAND --help} describes it.
 * <p>
 * Exit codes ({@link #EXIT_CODES}, also in {@code --help} and the README): 0 success; 1 the service refused or
 * could not be reached; 2 a wrong command line; 3 what was named does not exist (HTTP 404); 4 a conflict
 * (HTTP 409: it exists already, or Git manages it); 5 what testumctl waited for ended without success
 * (a stalled sync, an invalid revision, a run that did not succeed; a one-host run exits with the host's
 * own exit code instead).
 */
@Command(name = "testumctl", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = Testumctl.Version.class,
        description = "The command-line client of testum: platforms, keys, credentials, access grants, runs, schedules, GitOps sources, unmanaged keys, access history, alerts, users, tokens and backups.",
        footer = { "", "Environment: TESTUM_URL and TESTUM_TOKEN (e.g. an API token tsm_...) override the stored login.",
                "Exit codes:", "  0  success", "  1  the service refused the call or could not be reached",
                "  2  a wrong command line", "  3  not found: what was named does not exist (HTTP 404)",
                "  4  a conflict: it exists already, or Git manages it (HTTP 409)",
                "  5  what it waited for did not succeed: a stalled sync, an invalid revision,",
                "     a failed run (a one-host exec --wait or runs follow exits with the host's code)" },
        subcommands = { SessionCommands.Login.class, SessionCommands.Logout.class, SessionCommands.Whoami.class,
                PlatformCommands.class, KeyCommands.class, CredentialCommands.class, GrantCommands.class, ExecCommand.class,
                RunCommands.class, ScheduleCommands.class, GitopsCommands.class, UnmanagedKeyCommands.class, AccessHistoryCommand.class, AlertCommands.class,
                UserCommands.class,
                TokenCommands.class, BackupCommands.class, CompletionCommand.class, Testumctl.VersionCommand.class,
                CommandLine.HelpCommand.class })
public final class Testumctl implements Runnable {

    /** Exit code of a refused or failed call. */
    static final int FAILED = 1;
    /** Exit code of a wrong command line. */
    static final int USAGE = 2;
    /** Exit code when what the command names does not exist (HTTP 404). */
    static final int NOT_FOUND = 3;
    /** Exit code of a conflict (HTTP 409): the name is taken, or Git manages the object. */
    static final int CONFLICT = 4;
    /** Exit code when what testumctl waited for ended without success: a stalled sync, an invalid revision, a failed run. */
    static final int UNSUCCESSFUL = 5;

    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Option(names = "--output", scope = CommandLine.ScopeType.LOCAL, paramLabel = "table|json|yaml",
            completionCandidates = Output.Formats.class, converter = Output.FormatConverter.class,
            description = "The format of every command that shows what the API answers (each also takes --output itself): "
                    + "table (default), json or yaml.")
    Output.Format output;

    private Testumctl(Terminal terminal) {
        this.terminal = terminal;
    }

    Terminal terminal() {
        return terminal;
    }

    /** The global {@code --output}, or null. */
    Output.Format output() {
        return output;
    }

    /** The exit code of a call the service refused: 3 for not found, 4 for a conflict, else 1. */
    static int exitCode(ApiException e) {
        return switch (e.status()) {
            case 404 -> NOT_FOUND;
            case 409 -> CONFLICT;
            default -> FAILED;
        };
    }

    /** {@code testumctl} alone: the usage, and exit code 2. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is missing");
    }

    public static void main(String[] args) {
        int status = run(args, Terminal.system());
        System.out.flush();
        System.exit(status);
    }

    /** Runs one invocation with everything it reads given: standard input, the environment, no console. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Path home, Map<String, String> env) {
        return run(args, new Terminal(in, out, err, home, env, null));
    }

    static int run(String[] args, Terminal terminal) {
        try {
            return commandLine(terminal).execute(args);
        } finally {
            terminal.out().flush();
            terminal.err().flush();
        }
    }

    /** The command line of one invocation, writing to the terminal's streams. */
    static CommandLine commandLine(Terminal terminal) {
        CommandLine cli = new CommandLine(new Testumctl(terminal));
        cli.setOut(new PrintWriter(terminal.out(), true));
        cli.setErr(new PrintWriter(terminal.err(), true));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("testumctl: " + e.getMessage());
            err.println("Run '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for its commands and options.");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            PrintWriter err = command.getErr();
            if (e instanceof ApiException api) {
                err.println("testumctl: " + api.getMessage());
                api.errors().forEach(line -> err.println("  " + line));
                return exitCode(api);
            }
            if (e instanceof UsageException usage) {
                err.println("testumctl: " + usage.getMessage());
                err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for its options.");
                return USAGE;
            }
            if (e instanceof UncheckedIOException io) {
                err.println("testumctl: " + io.getMessage());
                return FAILED;
            }
            throw e;
        });
        return cli;
    }

    /** The jar's version ({@code Implementation-Version}), or {@code dev} when run from classes. */
    static String version() {
        String version = Testumctl.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    static String userAgent() {
        return "testumctl/" + version();
    }

    /** {@code testumctl version}, as {@code --version}. */
    @Command(name = "version", description = "Print the version of testumctl.")
    static final class VersionCommand extends BaseCommand {
        @Override
        public Integer call() {
            out().println("testumctl " + version());
            return 0;
        }
    }

    /** {@code testumctl --version}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] { "testumctl " + version() };
        }
    }
}

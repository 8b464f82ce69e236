package io.testum.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * testumctl, the command-line client of testum: JDK only ({@code java.net.http}), packaged as
 * {@code target/testumctl.jar} and started by {@code bin/testumctl}.
 * <p>
 * Exit codes: 0 success; 1 the service refused or could not be reached, or a run did not succeed (a
 * one-host run exits with the host's exit code); 2 a wrong command line.
 */
public final class Testumctl {

    static final String USAGE = """
            Usage: testumctl <command> [options]

              login --url URL -u USER [--password-stdin]   sign in; tokens go to ~/.testum/config.json (0600)
              logout                                       end the session and forget the tokens
              whoami                                       the signed-in user and role

              platforms list [--label k=v]... [-q TEXT] [--reachability R] [--json]
              platforms add NAME --host HOST --username USER [--port 22] [--auth-method key|password]
                            [--credential NAME] [--label k=v]... [--host-key SHA256:...]
                            [--authorized-keys-path PATH] [--authorized-keys-mode merge|exclusive]
                            [--description TEXT] [--json]
              platforms remove NAME...

              keys list [-q TEXT] [--json]
              keys add NAME (--public-key "ssh-ed25519 AAAA..." | --file FILE.pub) [--description TEXT] [--json]
              keys remove NAME...

              exec PLATFORM[,PLATFORM...] "COMMAND" [--wait] [--timeout SECONDS] [--concurrency N] [--max-failures N]
              exec --selector k=v [--selector k=v]... "COMMAND" [--wait] ...
                   without --wait: prints the run id; with --wait: each output line as "host | line",
                   and exits 0 only when the run succeeded

              gitops status [--source NAME] [--json]
              gitops sync [--source NAME] [--no-wait] [--json]
              gitops diff [--source NAME] [--ref REF] [--json]

              backup export [-o FILE]
              backup import FILE [--dry-run] [--json]        FILE may be - for standard input

              help | version

            Environment: TESTUM_URL and TESTUM_TOKEN (e.g. an API token tsm_...) override the stored login.
            """;

    private Testumctl() {
    }

    public static void main(String[] args) {
        int status = run(args, Terminal.system());
        System.out.flush();
        System.exit(status);
    }

    /**
     * Runs one invocation with the given output streams and home directory (whose
     * {@code .testum/config.json} holds the login); standard input, environment and console are the
     * process's own.
     *
     * @return the exit code
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Path home) {
        Terminal system = Terminal.system();
        return run(args, new Terminal(system.in(), out, err, home, system.env(), system.password()));
    }

    /** Runs one invocation with everything it reads given: standard input and the environment too, and no console. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Path home, Map<String, String> env) {
        return run(args, new Terminal(in, out, err, home, env, null));
    }

    static int run(String[] args, Terminal terminal) {
        try {
            return dispatch(Arrays.asList(args), terminal);
        } catch (UsageException e) {
            terminal.err().println("testumctl: " + e.getMessage());
            terminal.err().println("Run 'testumctl help' for the commands and their options.");
            return 2;
        } catch (ApiException e) {
            terminal.err().println("testumctl: " + e.getMessage());
            e.errors().forEach(line -> terminal.err().println("  " + line));
            return 1;
        } catch (UncheckedIOException e) {
            terminal.err().println("testumctl: " + e.getMessage());
            return 1;
        } finally {
            terminal.out().flush();
            terminal.err().flush();
        }
    }

    private static int dispatch(List<String> words, Terminal t) {
        if (words.isEmpty()) {
            t.err().print(USAGE);
            return 2;
        }
        String command = words.get(0);
        List<String> rest = words.subList(1, words.size());
        switch (command) {
            case "help", "-h", "--help":
                t.out().print(USAGE);
                return 0;
            case "version", "--version":
                t.out().println("testumctl " + version());
                return 0;
            case "login":
                return SessionCommands.login(new Args(rest), t);
            case "logout":
                return SessionCommands.logout(new Args(rest), t);
            case "whoami":
                return SessionCommands.whoami(new Args(rest), t);
            case "platforms":
                return PlatformCommands.run(subcommand(command, rest), new Args(tail(rest)), t);
            case "keys":
                return KeyCommands.run(subcommand(command, rest), new Args(tail(rest)), t);
            case "exec":
                return ExecCommand.run(new Args(rest), t);
            case "gitops":
                return GitopsCommands.run(subcommand(command, rest), new Args(tail(rest)), t);
            case "backup":
                return BackupCommands.run(subcommand(command, rest), new Args(tail(rest)), t);
            default:
                throw new UsageException("unknown command '" + command + "'");
        }
    }

    private static String subcommand(String command, List<String> rest) {
        if (rest.isEmpty() || rest.get(0).startsWith("-")) {
            throw new UsageException(command + " needs a subcommand, e.g. testumctl " + command + " "
                    + (command.equals("gitops") ? "status" : command.equals("backup") ? "export" : "list"));
        }
        return rest.get(0);
    }

    private static List<String> tail(List<String> rest) {
        return rest.subList(1, rest.size());
    }

    static UsageException unknownSubcommand(String command, String sub, String known) {
        return new UsageException("unknown subcommand '" + command + " " + sub + "'; known: " + known);
    }

    /** The jar's version ({@code Implementation-Version}), or {@code dev} when run from classes. */
    static String version() {
        String version = Testumctl.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    static String userAgent() {
        return "testumctl/" + version();
    }
}

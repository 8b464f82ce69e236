package io.testum.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code users list|show|create|update|remove} (admins): people who sign in. A password is asked on
 * the terminal or read from standard input, never taken from the command line.
 */
@Command(name = "users", description = "Users who sign in (admins only): list, show, create, update, remove.",
        subcommands = { UserCommands.ListCommand.class, UserCommands.Show.class, UserCommands.Create.class, UserCommands.Update.class,
                UserCommands.RemoveCommand.class })
final class UserCommands extends BaseCommand.Group {

    private static final String PATH = "/api/users";

    @Command(name = "list", aliases = "ls", description = "The users.")
    static final class ListCommand extends BaseCommand {

        @Option(names = { "-q", "--query" }, paramLabel = "TEXT", description = "Only users whose name contains TEXT.")
        String query;

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            List<Map<String, Object>> items = api().all(withQuery(PATH, query));
            return printList(output, items, List.of(Output.column("USERNAME", "username"), Output.column("ROLE", "role"),
                    Output.column("ENABLED", "enabled"), Output.column("CREATED", "created_at"), Output.column("LAST LOGIN", "last_login_at")));
        }
    }

    @Command(name = "show", description = "One user.")
    static final class Show extends BaseCommand.Showing {

        @Override
        String path() {
            return PATH;
        }

        @Override
        String example() {
            return "testumctl users show alice";
        }
    }

    /** A new password: from standard input with {@code --password-stdin}, else asked on the terminal. */
    static final class Password {
        @Option(names = "--password-stdin", description = "Read the password from standard input (else it is asked on the terminal).")
        boolean stdin;

        String read(BaseCommand command, String user) {
            if (stdin) {
                String password = Files.secret("-", command.terminal());
                if (password.isEmpty()) {
                    throw command.usage("the password on standard input is empty");
                }
                return password;
            }
            return command.prompt("Password for " + user + ": ", "pipe it in with --password-stdin");
        }
    }

    @Command(name = "create", aliases = "add", description = "Create a user with a role: viewer, operator or admin.")
    static final class Create extends BaseCommand {

        @Mixin
        NameArgument name = new NameArgument();

        @Option(names = "--role", required = true, paramLabel = "viewer|operator|admin", description = "What the user may do.")
        String role;

        @Option(names = "--disabled", description = "Create the user disabled.")
        boolean disabled;

        @Mixin
        Password password = new Password();

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            String user = name.of(this, "testumctl users create alice --role operator");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("username", user);
            body.put("role", role);
            body.put("enabled", !disabled);
            body.put("password", password.read(this, user));
            Map<String, Object> created = Api.object(api().post(PATH, body));
            if (output.structured()) {
                output.print(out(), created);
            } else {
                out().println("user " + created.get("username") + " created (" + created.get("role") + ")");
            }
            return 0;
        }
    }

    @Command(name = "update", description = "Change a user's role, password, or whether they may sign in; the rest stays.")
    static final class Update extends BaseCommand {

        @Mixin
        NameArgument name = new NameArgument();

        @Option(names = "--role", paramLabel = "viewer|operator|admin")
        String role;

        @Option(names = "--enable", description = "Allow the user to sign in.")
        boolean enable;

        @Option(names = "--disable", description = "Stop the user from signing in (their sessions end).")
        boolean disable;

        @Option(names = "--new-password", description = "Set a new password (asked, or read with --password-stdin); their sessions end.")
        boolean newPassword;

        @Mixin
        Password password = new Password();

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            String user = name.of(this, "testumctl users update alice --role viewer");
            if (enable && disable) {
                throw usage("give --enable or --disable, not both");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            if (role != null) {
                body.put("role", role);
            }
            if (enable || disable) {
                body.put("enabled", enable);
            }
            if (newPassword || password.stdin) {
                body.put("password", password.read(this, user));
            }
            if (body.isEmpty()) {
                throw usage("nothing to change: give --role, --enable, --disable or --new-password");
            }
            Map<String, Object> updated = Api.object(api().call("PUT", PATH + "/" + Api.encode(user), body));
            if (output.structured()) {
                output.print(out(), updated);
            } else {
                out().println("user " + updated.get("username") + " updated (" + updated.get("role")
                        + (Boolean.FALSE.equals(updated.get("enabled")) ? ", disabled" : "") + ")");
            }
            return 0;
        }
    }

    @Command(name = "remove", aliases = { "rm", "delete" }, description = "Remove users (not the last enabled admin).")
    static final class RemoveCommand extends BaseCommand.Removal {
        @Override
        String path() {
            return PATH;
        }

        @Override
        String kind() {
            return "user";
        }
    }
}

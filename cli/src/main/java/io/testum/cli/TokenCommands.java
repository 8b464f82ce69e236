package io.testum.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tokens list|create|revoke} (admins): API tokens for automation; a new token is shown once. */
@Command(name = "tokens", description = "API tokens for automation (admins only): list, create (the token is shown once), revoke.",
        subcommands = { TokenCommands.ListCommand.class, TokenCommands.Create.class, TokenCommands.Revoke.class })
final class TokenCommands extends BaseCommand.Group {

    private static final String PATH = "/api/tokens";

    @Command(name = "list", aliases = "ls", description = "The tokens (never the tokens themselves).")
    static final class ListCommand extends BaseCommand {

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            List<Map<String, Object>> items = api().all(PATH);
            return printList(output, items, List.of(Output.column("ID", "id"), Output.column("NAME", "name"), Output.column("ROLE", "role"),
                    Output.column("OWNER", "owner"), Output.column("CREATED", "created_at"), Output.column("EXPIRES", "expires_at"),
                    Output.column("LAST USED", "last_used_at"), Output.column("REVOKED", "revoked")));
        }
    }

    /**
     * Creates a token and prints it once: alone on standard output (so that {@code TOKEN=$(testumctl
     * tokens create ci --role operator)} takes it), what it is on standard error.
     */
    @Command(name = "create", aliases = "add", description = { "Create an API token; it is printed once, alone on standard output.",
            "Use it as TESTUM_TOKEN, or as Authorization: Bearer TOKEN." })
    static final class Create extends BaseCommand {

        @Mixin
        NameArgument name = new NameArgument();

        @Option(names = "--role", required = true, paramLabel = "viewer|operator|admin", description = "What the token may do.")
        String role;

        @Option(names = "--expires-in-days", paramLabel = "DAYS", description = "The token lapses after DAYS days.")
        Integer expiresInDays;

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name.of(this, "testumctl tokens create ci --role operator"));
            body.put("role", role);
            if (expiresInDays != null) {
                body.put("expires_in_days", expiresInDays);
            }
            Map<String, Object> created = Api.object(api().post(PATH, body));
            if (output.structured()) {
                output.print(out(), created);
                return 0;
            }
            out().println(created.get("token"));
            err().println("token " + created.get("name") + " (id " + created.get("id") + ", " + created.get("role") + ", expires "
                    + Output.text(created.get("expires_at")) + ") created; it is shown only this once");
            return 0;
        }
    }

    @Command(name = "revoke", aliases = { "remove", "rm", "delete" }, description = "Revoke tokens by id: they stop working at once.")
    static final class Revoke extends BaseCommand {

        @Parameters(arity = "1..*", paramLabel = "ID", description = "The tokens' ids (tokens list shows them).")
        List<Long> ids;

        @Override
        public Integer call() {
            Api api = api();
            for (Long id : ids) {
                api.delete(PATH + "/" + id);
                out().println("token " + id + " revoked");
            }
            return 0;
        }
    }
}

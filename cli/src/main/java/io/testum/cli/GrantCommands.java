package io.testum.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code grants list|show|create|update|remove} ({@code access} is the same group): who may log in where. */
@Command(name = "grants", aliases = "access", description = "Access grants (which keys may log in where): list, show, create, update, remove.",
        subcommands = { GrantCommands.ListCommand.class, GrantCommands.Show.class, GrantCommands.Create.class, GrantCommands.Update.class,
                GrantCommands.RemoveCommand.class })
final class GrantCommands extends BaseCommand.Group {

    private static final String PATH = "/api/access";

    @Command(name = "list", aliases = "ls", description = "The access grants.")
    static final class ListCommand extends BaseCommand {

        @Option(names = { "-q", "--query" }, paramLabel = "TEXT", description = "Only grants whose name or description contain TEXT.")
        String query;

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            List<Map<String, Object>> items = api().all(withQuery(PATH, query));
            return printList(output, items, List.of(Output.column("NAME", "name"), Output.column("KEYS", "keys"),
                    Output.column("PLATFORMS", "platforms"), Output.column("SELECTOR", "selector"), Output.column("USER", "user"),
                    Output.column("EXPIRES", "expires"), Output.column("EXPIRED", "expired"), Output.column("SOURCE", "source")));
        }
    }

    @Command(name = "show", description = "One access grant.")
    static final class Show extends BaseCommand.Showing {

        @Override
        String path() {
            return PATH;
        }

        @Override
        String example() {
            return "testumctl grants show web-admins";
        }
    }

    /** What a grant says; on {@code update}, only what is given changes. */
    static final class Fields {
        @Option(names = { "--keys", "-k" }, paramLabel = "A,B", split = ",", description = "The public keys, by name; repeatable.")
        List<String> keys;

        @Option(names = "--platforms", paramLabel = "A,B", split = ",", description = "Platforms by name; repeatable.")
        List<String> platforms;

        @Option(names = { "--selector", "-s" }, paramLabel = "k=v", description = "Platforms by label; repeatable, all must match.")
        Map<String, String> selector;

        @Option(names = "--user", paramLabel = "ACCOUNT", description = "The account whose authorized_keys is managed (default: the platform's username).")
        String user;

        @Option(names = "--options", paramLabel = "OPTIONS", description = "authorized_keys options, e.g. 'from=\"10.0.0.0/8\",no-agent-forwarding'.")
        String options;

        @Option(names = "--expires", paramLabel = "TIME", description = "When the grant lapses, e.g. 2026-12-31T18:00:00Z.")
        String expires;

        @Option(names = { "--description", "-d" }, paramLabel = "TEXT")
        String description;

        /** The given fields over {@code base}. */
        Map<String, Object> over(Map<String, Object> base) {
            Map<String, Object> body = new LinkedHashMap<>(base);
            putGiven(body, "keys", keys);
            putGiven(body, "platforms", platforms);
            putGiven(body, "selector", selector);
            putGiven(body, "user", user);
            putGiven(body, "options", options);
            putGiven(body, "expires", expires);
            putGiven(body, "description", description);
            return body;
        }

    }

    @Command(name = "create", aliases = "add", description = "Create an access grant: keys, and platforms by name and/or label.")
    static final class Create extends BaseCommand {

        @Mixin
        NameArgument name = new NameArgument();

        @Mixin
        Fields fields = new Fields();

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name.of(this, "testumctl grants create web-admins --keys alice,bob --selector role=web"));
            Map<String, Object> created = Api.object(api().post(PATH, fields.over(body)));
            print(this, output, created, "created");
            return 0;
        }
    }

    @Command(name = "update", description = "Change an access grant: what is given replaces what it says, the rest stays.")
    static final class Update extends BaseCommand {

        @Mixin
        NameArgument name = new NameArgument();

        @Mixin
        Fields fields = new Fields();

        @Option(names = "--no-expires", description = "The grant no longer lapses.")
        boolean noExpires;

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            String grant = name.of(this, "testumctl grants update web-admins --keys alice,carol");
            if (noExpires && fields.expires != null) {
                throw usage("give --expires or --no-expires, not both");
            }
            Api api = api();
            Map<String, Object> current = Api.object(api.get(PATH + "/" + Api.encode(grant)));
            Map<String, Object> body = new LinkedHashMap<>();
            for (String field : List.of("name", "keys", "platforms", "selector", "user", "options", "expires", "description")) {
                body.put(field, current.get(field));
            }
            body = fields.over(body);
            if (noExpires) {
                body.put("expires", null);
            }
            Map<String, Object> updated = Api.object(api.call("PUT", PATH + "/" + Api.encode(grant), body));
            print(this, output, updated, "updated");
            return 0;
        }
    }

    private static void print(BaseCommand command, BaseCommand.JsonOption output, Map<String, Object> grant, String what) {
        if (output.structured()) {
            output.print(command.out(), grant);
        } else {
            command.out().println("access grant " + grant.get("name") + " " + what + " (keys " + Output.text(grant.get("keys"))
                    + "; platforms " + Output.text(grant.get("platforms")) + "; selector " + Output.text(grant.get("selector")) + ")");
        }
    }

    @Command(name = "remove", aliases = { "rm", "delete" }, description = "Remove access grants (their keys leave the hosts).")
    static final class RemoveCommand extends BaseCommand.Removal {
        @Override
        String path() {
            return PATH;
        }

        @Override
        String kind() {
            return "access grant";
        }
    }
}

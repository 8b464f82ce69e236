package io.testum.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code keys list|add|remove}: the public keys that grants put on hosts. */
@Command(name = "keys", description = "List, add and remove public keys (the keys grants put on hosts).",
        subcommands = { KeyCommands.ListCommand.class, KeyCommands.AddCommand.class, KeyCommands.RemoveCommand.class })
final class KeyCommands extends BaseCommand.Group {

    @Command(name = "list", aliases = "ls", description = "The keys, as a table or with --json as the API gives them.")
    static final class ListCommand extends BaseCommand {

        @Option(names = { "-q", "--query" }, paramLabel = "TEXT", description = "Only keys whose name or comment contain TEXT.")
        String query;

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            List<Map<String, Object>> items = api().all(withQuery("/api/keys", query));
            return printList(output, items, List.of(Output.column("NAME", "name"), Output.column("TYPE", "type"),
                    Output.column("BITS", "bits"), Output.column("FINGERPRINT", "fingerprint"), Output.column("COMMENT", "comment"),
                    Output.column("SOURCE", "source"), Output.column("PLATFORMS", "platforms")));
        }
    }

    @Command(name = "add", aliases = "create", description = "Add a public key.")
    static final class AddCommand extends BaseCommand {

        @Mixin
        NameArgument name = new NameArgument();

        @ArgGroup(multiplicity = "1")
        KeySource key;

        static final class KeySource {
            @Option(names = { "--public-key", "-k" }, paramLabel = "KEY", description = "The key, e.g. \"ssh-ed25519 AAAA... alice@laptop\".")
            String text;

            @Option(names = { "--file", "-f" }, paramLabel = "FILE.pub", description = "A file holding the key; - for standard input.")
            String file;
        }

        @Option(names = { "--description", "-d" }, paramLabel = "TEXT")
        String description;

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            String keyName = name.of(this, "testumctl keys add alice --file ~/.ssh/id_ed25519.pub");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", keyName);
            body.put("public_key", key.file != null ? Files.text(key.file, terminal()).strip() : key.text);
            if (description != null) {
                body.put("description", description);
            }
            Map<String, Object> created = Api.object(api().post("/api/keys", body));
            if (output.structured()) {
                output.print(out(), created);
            } else {
                out().println("key " + created.get("name") + " created (" + created.get("type") + ", " + created.get("fingerprint") + ")");
            }
            return 0;
        }
    }

    @Command(name = "remove", aliases = { "rm", "delete" }, description = "Remove public keys.")
    static final class RemoveCommand extends BaseCommand.Removal {
        @Override
        String path() {
            return "/api/keys";
        }

        @Override
        String kind() {
            return "key";
        }
    }
}

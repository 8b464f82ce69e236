package io.testum.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code platforms list|add|remove}. */
@Command(name = "platforms", description = "List, add and remove platforms (the hosts testum manages).",
        subcommands = { PlatformCommands.ListCommand.class, PlatformCommands.AddCommand.class, PlatformCommands.RemoveCommand.class })
final class PlatformCommands extends BaseCommand.Group {

    @Command(name = "list", aliases = "ls", description = "The platforms, as a table or with --json as the API gives them.")
    static final class ListCommand extends BaseCommand {

        @Option(names = { "--label", "-l" }, paramLabel = "k=v", description = "Only platforms with this label (k=v, or k for any value); repeatable.")
        List<String> labels = new ArrayList<>();

        @Option(names = { "-q", "--query" }, paramLabel = "TEXT", description = "Only platforms whose name, host or description contain TEXT.")
        String query;

        @Option(names = "--reachability", paramLabel = "R", description = "reachable, unreachable or unknown.")
        String reachability;

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            List<String> params = new ArrayList<>();
            labels.forEach(l -> params.add("label=" + Api.encode(l)));
            if (query != null) {
                params.add("q=" + Api.encode(query));
            }
            if (reachability != null) {
                params.add("reachability=" + Api.encode(reachability));
            }
            List<Map<String, Object>> items = api().all("/api/platforms" + (params.isEmpty() ? "" : "?" + String.join("&", params)));
            return printList(output, items, List.of(Output.column("NAME", "name"), Output.column("HOST", "host"),
                    Output.column("PORT", "port"), Output.column("USER", "username"), Output.column("AUTH", "auth_method"),
                    Output.column("CREDENTIAL", "credential"), Output.column("LABELS", "labels"), Output.column("SOURCE", "source"),
                    Output.column("REACHABILITY", "reachability")));
        }
    }

    @Command(name = "add", aliases = "create", description = "Add a platform.")
    static final class AddCommand extends BaseCommand {

        @Mixin
        NameArgument name = new NameArgument();

        @Option(names = "--host", paramLabel = "HOST", description = "Host name or address.")
        String host;

        @Option(names = { "--port", "-p" }, paramLabel = "PORT", description = "SSH port (default 22).")
        Integer port;

        @Option(names = { "--username", "-u" }, paramLabel = "USER", description = "The account testum logs in as.")
        String username;

        @Option(names = "--auth-method", paramLabel = "key|password", defaultValue = "key", description = "How testum logs in (default key).")
        String authMethod;

        @Option(names = { "--credential", "--ssh-key-name" }, paramLabel = "NAME", description = "The credential testum logs in with.")
        String credential;

        @Option(names = { "--label", "-l" }, paramLabel = "k=v", description = "A label; repeatable.")
        Map<String, String> labels = new LinkedHashMap<>();

        @Option(names = "--host-key", paramLabel = "SHA256:...", description = "The host key's fingerprint to pin (admins only).")
        String hostKey;

        @Option(names = "--authorized-keys-path", paramLabel = "PATH", description = "Default ~/.ssh/authorized_keys.")
        String authorizedKeysPath;

        @Option(names = "--authorized-keys-mode", paramLabel = "merge|exclusive", description = "Default merge.")
        String authorizedKeysMode;

        @Option(names = { "--description", "-d" }, paramLabel = "TEXT")
        String description;

        @Option(names = "--password-stdin", description = "With --auth-method password and no --credential: read the "
                + "password testum logs in with from standard input (else it is asked for on the terminal).")
        boolean passwordStdin;

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            String platform = name.of(this, "testumctl platforms add web-01 --host 192.0.2.10 --username deploy "
                    + "--credential deployer");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", platform);
            body.put("host", host);
            body.put("port", port);
            body.put("username", username);
            body.put("auth_method", authMethod);
            body.put("credential", credential);
            body.put("host_key", hostKey);
            body.put("labels", labels.isEmpty() ? null : labels);
            body.put("authorized_keys_path", authorizedKeysPath);
            body.put("authorized_keys_mode", authorizedKeysMode);
            body.put("description", description);
            if ("password".equals(authMethod) && credential == null) {
                // as the earlier testum did: the password goes with the platform, sealed there as its own credential
                body.put("password", password(platform));
            } else if (passwordStdin) {
                throw usage("--password-stdin goes with --auth-method password and no --credential");
            }
            body.values().removeIf(v -> v == null);
            Map<String, Object> created = Api.object(api().post("/api/platforms", body));
            if (output.structured()) {
                output.print(out(), created);
            } else {
                out().println("platform " + created.get("name") + " created");
            }
            if (body.get("password") == null && created.get("credential") == null) {
                err().println("testumctl: platform " + created.get("name") + " has no credential; testum cannot log in to it "
                        + "until one is set (--credential NAME, or --auth-method password with its password)");
            }
            return 0;
        }

        /** The password from standard input, or asked for on the terminal; null when there is neither. */
        private String password(String platform) {
            Terminal t = terminal();
            if (passwordStdin) {
                String text = Files.text("-", t).replaceAll("\\r?\\n\\z", "");
                if (text.isEmpty()) {
                    throw usage("the password on standard input is empty");
                }
                return text;
            }
            if (t.password() == null) {
                return null;
            }
            char[] typed = t.password().apply("Password testum logs in to " + platform + " with (empty: none): ");
            String password = typed == null || typed.length == 0 ? null : new String(typed);
            if (typed != null) {
                java.util.Arrays.fill(typed, '\0');
            }
            return password;
        }
    }

    @Command(name = "remove", aliases = { "rm", "delete" }, description = "Remove platforms.")
    static final class RemoveCommand extends BaseCommand.Removal {
        @Override
        String path() {
            return "/api/platforms";
        }

        @Override
        String kind() {
            return "platform";
        }
    }
}

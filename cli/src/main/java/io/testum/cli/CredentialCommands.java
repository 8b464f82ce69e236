package io.testum.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code credentials list|show|generate|import|public-key|remove}: how testum logs in to platforms.
 * Only public parts ever come back; a private key, passphrase or password is read from a file or
 * standard input, never from the command line.
 */
@Command(name = "credentials", description = "How testum logs in: list, show, generate or import credentials, print a public key.",
        subcommands = { CredentialCommands.ListCommand.class, CredentialCommands.Show.class, CredentialCommands.Generate.class,
                CredentialCommands.Import.class, CredentialCommands.PublicKey.class, CredentialCommands.RemoveCommand.class })
final class CredentialCommands extends BaseCommand.Group {

    private static final String PATH = "/api/credentials";

    @Command(name = "list", aliases = "ls", description = "The credentials (public parts only).")
    static final class ListCommand extends BaseCommand {

        @Option(names = { "-q", "--query" }, paramLabel = "TEXT", description = "Only credentials whose name contains TEXT.")
        String query;

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            List<Map<String, Object>> items = api().all(withQuery(PATH, query));
            return printList(output, items, List.of(Output.column("NAME", "name"), Output.column("KIND", "kind"),
                    Output.column("TYPE", "type"), Output.column("BITS", "bits"), Output.column("FINGERPRINT", "fingerprint"),
                    Output.column("SECRET", "has_secret"), Output.column("SOURCE", "source"), Output.column("PLATFORMS", "platforms")));
        }
    }

    @Command(name = "show", description = "One credential (public parts only).")
    static final class Show extends BaseCommand.Showing {

        @Override
        String path() {
            return PATH;
        }

        @Override
        String example() {
            return "testumctl credentials show deployer";
        }
    }

    /** Where a credential may be used: {@code --platforms} and/or {@code --selector}; neither: anywhere. */
    static final class Binding {
        @Option(names = "--platforms", paramLabel = "A,B", split = ",", description = "Allow it only on these platforms.")
        List<String> platforms = new ArrayList<>();

        @Option(names = { "--selector", "-s" }, paramLabel = "k=v", description = "Allow it only on platforms with these labels; repeatable.")
        Map<String, String> selector = new LinkedHashMap<>();

        Map<String, Object> body() {
            return platforms.isEmpty() && selector.isEmpty() ? null : BaseCommand.targets(platforms, selector);
        }
    }

    @Command(name = "generate", description = "Generate a key pair in testum; only its public key comes back.")
    static final class Generate extends BaseCommand {

        @Mixin
        NameArgument name = new NameArgument();

        @Option(names = "--type", paramLabel = "ed25519|rsa", description = "Key type (default ed25519).")
        String type;

        @Option(names = "--bits", paramLabel = "N", description = "RSA key size, e.g. 4096.")
        Integer bits;

        @Option(names = { "--description", "-d" }, paramLabel = "TEXT")
        String description;

        @Mixin
        Binding binding = new Binding();

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name.of(this, "testumctl credentials generate deployer"));
            body.put("type", type);
            body.put("bits", bits);
            body.put("description", description);
            body.put("binding", binding.body());
            body.values().removeIf(v -> v == null);
            Map<String, Object> created = Api.object(api().post(PATH + "/generate", body));
            if (output.structured()) {
                output.print(out(), created);
            } else {
                out().println("credential " + created.get("name") + " generated (" + created.get("type") + ", "
                        + created.get("fingerprint") + ")");
                out().println(Output.text(created.get("public_key")));
            }
            return 0;
        }
    }

    @Command(name = "import", description = { "Import a private key or a password that testum logs in with.",
            "The secret is read from a file or standard input (-), never from the command line." })
    static final class Import extends BaseCommand {

        @Mixin
        NameArgument name = new NameArgument();

        @ArgGroup(multiplicity = "1")
        Secret secret;

        static final class Secret {
            @Option(names = { "--private-key-file", "-f" }, paramLabel = "FILE", description = "An OpenSSH or PEM private key; - for standard input.")
            String keyFile;

            @Option(names = "--password-file", paramLabel = "FILE", description = "A file holding the login password; - for standard input.")
            String passwordFile;

            @Option(names = "--password-stdin", description = "Read the login password from standard input.")
            boolean passwordStdin;
        }

        @Option(names = "--passphrase-file", paramLabel = "FILE", description = "The private key's passphrase, from a file (- for standard input).")
        String passphraseFile;

        @Option(names = "--ask-passphrase", description = "Ask for the private key's passphrase on the terminal.")
        boolean askPassphrase;

        @Option(names = { "--description", "-d" }, paramLabel = "TEXT")
        String description;

        @Mixin
        Binding binding = new Binding();

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            String credential = name.of(this, "testumctl credentials import deployer --private-key-file ~/.ssh/deployer");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", credential);
            if (secret.keyFile != null) {
                if (passphraseFile != null && askPassphrase) {
                    throw usage("give --passphrase-file or --ask-passphrase, not both");
                }
                if ("-".equals(secret.keyFile) && "-".equals(passphraseFile)) {
                    throw usage("the private key and its passphrase cannot both come from standard input");
                }
                body.put("private_key", Files.text(secret.keyFile, terminal()));
                if (passphraseFile != null) {
                    body.put("passphrase", Files.secret(passphraseFile, terminal()));
                } else if (askPassphrase) {
                    body.put("passphrase", prompt("Passphrase of the private key: ", "give --passphrase-file FILE"));
                }
            } else {
                if (passphraseFile != null || askPassphrase) {
                    throw usage("a passphrase goes with --private-key-file");
                }
                String password = Files.secret(secret.passwordStdin ? "-" : secret.passwordFile, terminal());
                if (password.isEmpty()) {
                    throw usage("the password is empty");
                }
                body.put("password", password);
            }
            body.put("description", description);
            body.put("binding", binding.body());
            body.values().removeIf(v -> v == null);
            Map<String, Object> created = Api.object(api().post(PATH + "/import", body));
            if (output.structured()) {
                output.print(out(), created);
            } else {
                out().println("credential " + created.get("name") + " imported (" + created.get("kind")
                        + (created.get("fingerprint") == null ? "" : ", " + created.get("type") + ", " + created.get("fingerprint")) + ")");
            }
            return 0;
        }
    }

    @Command(name = "public-key", description = "The credential's public key as one authorized_keys line.")
    static final class PublicKey extends BaseCommand {

        @Parameters(paramLabel = "NAME", description = "The credential.")
        String name;

        @Override
        public Integer call() {
            byte[] line = api().download(PATH + "/" + Api.encode(name) + "/public-key", "text/plain");
            out().write(line, 0, line.length);
            out().flush();
            return 0;
        }
    }

    @Command(name = "remove", aliases = { "rm", "delete" }, description = "Remove credentials (refused while a platform uses one).")
    static final class RemoveCommand extends BaseCommand.Removal {
        @Override
        String path() {
            return PATH;
        }

        @Override
        String kind() {
            return "credential";
        }
    }
}

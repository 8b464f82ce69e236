package io.testum.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code keys list|add|remove}: the public keys that grants put on hosts. */
final class KeyCommands {

    private KeyCommands() {
    }

    static int run(String sub, Args args, Terminal t) {
        switch (sub) {
            case "list", "ls":
                return list(args, t);
            case "add", "create":
                return add(args, t);
            case "remove", "rm", "delete":
                return remove(args, t);
            default:
                throw Testumctl.unknownSubcommand("keys", sub, "list, add, remove");
        }
    }

    private static int list(Args args, Terminal t) {
        boolean json = args.flag("--json");
        String q = args.option("-q", "--query");
        args.exactly();
        List<Map<String, Object>> items = Api.open(t).all("/api/keys" + (q == null ? "" : "?q=" + Api.encode(q)));
        if (json) {
            Output.json(t.out(), items);
            return 0;
        }
        Output.table(t.out(), items, List.of(Output.column("NAME", "name"), Output.column("TYPE", "type"),
                Output.column("BITS", "bits"), Output.column("FINGERPRINT", "fingerprint"), Output.column("COMMENT", "comment"),
                Output.column("SOURCE", "source"), Output.column("PLATFORMS", "platforms")));
        return 0;
    }

    private static int add(Args args, Terminal t) {
        boolean json = args.flag("--json");
        String name = args.option("--name");
        String key = args.option("--public-key", "-k");
        String file = args.option("--file", "-f");
        String description = args.option("--description", "-d");
        List<String> rest = args.positionals();
        if (name == null && rest.size() == 1) {
            name = rest.get(0);
        } else if (!rest.isEmpty()) {
            throw new UsageException("keys add takes one NAME (or --name), got " + String.join(" ", rest));
        }
        if (name == null) {
            throw new UsageException("keys add needs a NAME, e.g. testumctl keys add alice --file ~/.ssh/id_ed25519.pub");
        }
        if ((key == null) == (file == null)) {
            throw new UsageException("keys add needs one of --public-key \"ssh-ed25519 AAAA...\" or --file FILE.pub");
        }
        if (file != null) {
            key = read(file, t).strip();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("public_key", key);
        if (description != null) {
            body.put("description", description);
        }
        Map<String, Object> created = Api.object(Api.open(t).post("/api/keys", body));
        if (json) {
            Output.json(t.out(), created);
        } else {
            t.out().println("key " + created.get("name") + " created (" + created.get("type") + ", " + created.get("fingerprint") + ")");
        }
        return 0;
    }

    private static int remove(Args args, Terminal t) {
        List<String> names = args.positionals();
        if (names.isEmpty()) {
            throw new UsageException("keys remove needs the NAME of a key");
        }
        Api api = Api.open(t);
        for (String name : names) {
            api.delete("/api/keys/" + Api.encode(name));
            t.out().println("key " + name + " removed");
        }
        return 0;
    }

    /** A file's text, or standard input's for {@code -}. */
    static String read(String file, Terminal t) {
        return new String(bytes(file, t), StandardCharsets.UTF_8);
    }

    /** A file's bytes, or standard input's for {@code -}. */
    static byte[] bytes(String file, Terminal t) {
        try {
            return "-".equals(file) ? t.in().readAllBytes() : Files.readAllBytes(Path.of(file));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UncheckedIOException("cannot read " + file + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}

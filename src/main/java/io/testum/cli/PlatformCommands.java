package io.testum.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code platforms list|add|remove}. */
final class PlatformCommands {

    private PlatformCommands() {
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
                throw Testumctl.unknownSubcommand("platforms", sub, "list, add, remove");
        }
    }

    private static int list(Args args, Terminal t) {
        boolean json = args.flag("--json");
        List<String> query = new ArrayList<>();
        args.options("--label", "-l").forEach(l -> query.add("label=" + Api.encode(l)));
        String q = args.option("-q", "--query");
        if (q != null) {
            query.add("q=" + Api.encode(q));
        }
        String reachability = args.option("--reachability");
        if (reachability != null) {
            query.add("reachability=" + Api.encode(reachability));
        }
        args.exactly();
        List<Map<String, Object>> items = Api.open(t).all("/api/platforms" + (query.isEmpty() ? "" : "?" + String.join("&", query)));
        if (json) {
            Output.json(t.out(), items);
            return 0;
        }
        Output.table(t.out(), items, List.of(Output.column("NAME", "name"), Output.column("HOST", "host"),
                Output.column("PORT", "port"), Output.column("USER", "username"), Output.column("AUTH", "auth_method"),
                Output.column("CREDENTIAL", "credential"), Output.column("LABELS", "labels"), Output.column("SOURCE", "source"),
                Output.column("REACHABILITY", "reachability")));
        return 0;
    }

    private static int add(Args args, Terminal t) {
        boolean json = args.flag("--json");
        Map<String, Object> body = new LinkedHashMap<>();
        String name = args.option("--name");
        body.put("host", args.option("--host"));
        String port = args.option("--port", "-p");
        if (port != null) {
            try {
                body.put("port", Integer.parseInt(port));
            } catch (NumberFormatException e) {
                throw new UsageException("--port must be a number, got '" + port + "'");
            }
        }
        body.put("username", args.option("--username", "-u"));
        body.put("auth_method", args.option("--auth-method"));
        String credential = args.option("--credential", "--ssh-key-name");
        body.put("credential", credential);
        body.put("host_key", args.option("--host-key"));
        Map<String, String> labels = args.pairs("--label", "-l");
        if (!labels.isEmpty()) {
            body.put("labels", labels);
        }
        body.put("authorized_keys_path", args.option("--authorized-keys-path"));
        body.put("authorized_keys_mode", args.option("--authorized-keys-mode"));
        body.put("description", args.option("--description", "-d"));
        List<String> rest = args.positionals();
        if (name == null && rest.size() == 1) {
            name = rest.get(0);
        } else if (!rest.isEmpty()) {
            throw new UsageException("platforms add takes one NAME (or --name), got " + String.join(" ", rest));
        }
        if (name == null) {
            throw new UsageException("platforms add needs a NAME, e.g. testumctl platforms add web-01 --host 192.0.2.10 "
                    + "--username deploy --credential deployer");
        }
        if (body.get("auth_method") == null) {
            body.put("auth_method", "key");
        }
        body.put("name", name);
        body.values().removeIf(v -> v == null);
        Map<String, Object> created = Api.object(Api.open(t).post("/api/platforms", body));
        if (json) {
            Output.json(t.out(), created);
        } else {
            t.out().println("platform " + created.get("name") + " created");
        }
        return 0;
    }

    private static int remove(Args args, Terminal t) {
        List<String> names = args.positionals();
        if (names.isEmpty()) {
            throw new UsageException("platforms remove needs the NAME of a platform");
        }
        Api api = Api.open(t);
        for (String name : names) {
            api.delete("/api/platforms/" + Api.encode(name));
            t.out().println("platform " + name + " removed");
        }
        return 0;
    }
}

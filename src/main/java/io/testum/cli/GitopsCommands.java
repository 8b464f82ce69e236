package io.testum.cli;

import java.util.List;
import java.util.Map;

/** {@code gitops status|sync|diff [--source NAME]}. */
final class GitopsCommands {

    private GitopsCommands() {
    }

    static int run(String sub, Args args, Terminal t) {
        switch (sub) {
            case "status":
                return status(args, t);
            case "sync":
                return sync(args, t);
            case "diff":
                return diff(args, t);
            default:
                throw Testumctl.unknownSubcommand("gitops", sub, "status, sync, diff");
        }
    }

    /** Without {@code --source}: every source in a table; with it: that source's status, errors and last runs. */
    private static int status(Args args, Terminal t) {
        boolean json = args.flag("--json");
        String source = args.option("--source");
        args.exactly();
        Api api = Api.open(t);
        if (source == null) {
            List<Map<String, Object>> sources = list(api);
            if (json) {
                Output.json(t.out(), sources);
                return 0;
            }
            Output.table(t.out(), sources, List.of(Output.column("NAME", "name"), Output.column("READY", "ready"),
                    Output.column("REASON", "reason"), Output.column("SUSPENDED", "suspended"),
                    new Output.Column("REVISION", s -> shortRevision(s.get("last_applied_revision"))),
                    Output.column("BRANCH", "branch"), Output.column("URL", "url")));
            return 0;
        }
        Map<String, Object> status = Api.object(api.get("/api/gitops/sources/" + Api.encode(source) + "/status"));
        if (json) {
            Output.json(t.out(), status);
            return 0;
        }
        t.out().println("source:            " + source);
        t.out().println("ready:             " + status.get("ready") + " (" + status.get("reason") + ")"
                + (Boolean.TRUE.equals(status.get("suspended")) ? ", suspended" : ""));
        t.out().println("message:           " + Output.text(status.get("message")));
        t.out().println("applied revision:  " + Output.text(status.get("last_applied_revision")));
        t.out().println("fetched revision:  " + Output.text(status.get("last_fetched_revision")));
        t.out().println("last attempt:      " + Output.text(status.get("last_attempt_at")));
        t.out().println("last success:      " + Output.text(status.get("last_success_at")));
        List<String> errors = ApiException.lines(status.get("errors"));
        if (!errors.isEmpty()) {
            t.out().println("errors:");
            errors.forEach(e -> t.out().println("  " + e));
        }
        if (status.get("plan") != null) {
            t.out().println("plan:");
            Output.plan(t.out(), status.get("plan"));
        }
        return 0;
    }

    /** Reconciles now and waits for the result; exits 1 when the revision stalled or could not be fetched. */
    private static int sync(Args args, Terminal t) {
        boolean json = args.flag("--json");
        boolean noWait = args.flag("--no-wait");
        String source = args.option("--source");
        args.exactly();
        Api api = Api.open(t);
        String name = source != null ? source : defaultSource(api);
        Map<String, Object> result = Api.object(api.post("/api/gitops/sources/" + Api.encode(name) + "/sync"
                + (noWait ? "" : "?wait=true"), null));
        if (json) {
            Output.json(t.out(), result);
        } else if (noWait) {
            t.out().println("sync of " + name + " requested");
        } else {
            t.out().println(name + ": " + result.get("result") + " - " + Output.text(result.get("message")));
            Output.plan(t.out(), result.get("plan"));
        }
        if (noWait) {
            return 0;
        }
        String outcome = String.valueOf(result.get("result"));
        if (outcome.equals("applied") || outcome.equals("unchanged")) {
            return 0;
        }
        if (!json) {
            t.err().println("testumctl: " + name + " " + outcome + " (" + result.get("reason") + ")");
            ApiException.lines(result.get("errors")).forEach(e -> t.err().println("  " + e));
        }
        return 1;
    }

    /** What the fetched head (or {@code --ref}) would change, not applied; exits 1 when it is invalid. */
    private static int diff(Args args, Terminal t) {
        boolean json = args.flag("--json");
        String source = args.option("--source");
        String ref = args.option("--ref");
        args.exactly();
        Api api = Api.open(t);
        String name = source != null ? source : defaultSource(api);
        Map<String, Object> diff = Api.object(api.get("/api/gitops/sources/" + Api.encode(name) + "/diff"
                + (ref == null ? "" : "?ref=" + Api.encode(ref))));
        boolean valid = !Boolean.FALSE.equals(diff.get("valid"));
        if (json) {
            Output.json(t.out(), diff);
            return valid ? 0 : 1;
        }
        t.out().println(name + " at " + diff.get("ref") + " (" + shortRevision(diff.get("revision")) + ")"
                + (valid ? "" : ": invalid, would not be applied"));
        Output.plan(t.out(), diff.get("plan"));
        if (diff.get("authorized_keys") instanceof List<?> pairs && !pairs.isEmpty()) {
            t.out().println("authorized_keys:");
            for (Object p : pairs) {
                Map<String, Object> pair = Api.object(p);
                t.out().println("  " + pair.get("platform") + " (" + pair.get("user") + ")");
                lines(pair.get("gained")).forEach(l -> t.out().println("    + " + l));
                lines(pair.get("lost")).forEach(l -> t.out().println("    - " + l));
            }
        }
        if (!valid) {
            t.err().println("testumctl: revision " + shortRevision(diff.get("revision")) + " of " + name + " is invalid");
            ApiException.lines(diff.get("errors")).forEach(e -> t.err().println("  " + e));
            return 1;
        }
        return 0;
    }

    private static List<Map<String, Object>> list(Api api) {
        Object sources = api.get("/api/gitops/sources");
        return sources instanceof List<?> l ? l.stream().map(Api::object).toList() : List.of();
    }

    /** The only source, or the one named {@code default}; else the caller must say which. */
    private static String defaultSource(Api api) {
        List<String> names = list(api).stream().map(s -> String.valueOf(s.get("name"))).toList();
        if (names.size() == 1) {
            return names.get(0);
        }
        if (names.contains("default")) {
            return "default";
        }
        throw new UsageException(names.isEmpty() ? "testum has no GitOps source"
                : "say which source with --source NAME; there are " + String.join(", ", names));
    }

    private static List<String> lines(Object value) {
        return value instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    private static String shortRevision(Object revision) {
        if (revision == null) {
            return "-";
        }
        String r = revision.toString();
        return r.length() > 12 ? r.substring(0, 12) : r;
    }
}

package io.testum.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sources list|show|status|sync|diff [NAME | --source NAME]} ({@code gitops} is the same group):
 * the GitOps sources.
 */
@Command(name = "sources", aliases = "gitops", description = "GitOps sources: list them, their status, a sync now, the diff of a branch or commit.",
        subcommands = { GitopsCommands.ListCommand.class, GitopsCommands.Show.class, GitopsCommands.Status.class,
                GitopsCommands.Sync.class, GitopsCommands.Diff.class })
final class GitopsCommands extends BaseCommand.Group {

    /** The source named as {@code NAME} or {@code --source NAME}. */
    static final class SourceName {
        @picocli.CommandLine.Parameters(arity = "0..1", paramLabel = "NAME", description = "The source (or --source).")
        String positional;

        @Option(names = "--source", paramLabel = "NAME", description = "The source.")
        String option;

        /** The name given, or null. */
        String of(BaseCommand command) {
            if (option != null && positional != null && !option.equals(positional)) {
                throw command.usage(command.spec.qualifiedName() + " takes one source, got " + positional + " and --source " + option);
            }
            return option != null ? option : positional;
        }
    }

    @Command(name = "list", aliases = "ls", description = "The sources: readiness, applied revision, branch and URL.")
    static final class ListCommand extends BaseCommand {

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            List<Map<String, Object>> sources = list(api());
            if (output.structured()) {
                output.print(out(), sources);
                return 0;
            }
            table(out(), sources);
            return 0;
        }
    }

    @Command(name = "show", description = "One source's settings (its token and webhook secret are never shown, only whether it has them).")
    static final class Show extends BaseCommand.Showing {

        @Override
        String path() {
            return "/api/gitops/sources";
        }

        @Override
        String example() {
            return "testumctl sources show default";
        }
    }

    private static void table(PrintStream out, List<Map<String, Object>> sources) {
        Output.table(out, sources, List.of(Output.column("NAME", "name"), Output.column("READY", "ready"),
                Output.column("REASON", "reason"), Output.column("SUSPENDED", "suspended"),
                new Output.Column("REVISION", s -> shortRevision(s.get("last_applied_revision"))),
                Output.column("BRANCH", "branch"), Output.column("URL", "url")));
    }

    /** Without {@code --source}: every source in a table; with it: that source's status, errors and last runs. */
    @Command(name = "status", description = "Every source as a table, or one source's status, errors and plan.")
    static final class Status extends BaseCommand {

        @Mixin
        SourceName sourceName = new SourceName();

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            String source = sourceName.of(this);
            Api api = api();
            PrintStream out = out();
            if (source == null) {
                List<Map<String, Object>> sources = list(api);
                if (output.structured()) {
                    output.print(out, sources);
                    return 0;
                }
                table(out, sources);
                return 0;
            }
            Map<String, Object> status = Api.object(api.get("/api/gitops/sources/" + Api.encode(source) + "/status"));
            if (output.structured()) {
                output.print(out, status);
                return 0;
            }
            out.println("source:            " + source);
            out.println("ready:             " + status.get("ready") + " (" + status.get("reason") + ")"
                    + (Boolean.TRUE.equals(status.get("suspended")) ? ", suspended" : ""));
            out.println("message:           " + Output.text(status.get("message")));
            out.println("applied revision:  " + Output.text(status.get("last_applied_revision")));
            out.println("fetched revision:  " + Output.text(status.get("last_fetched_revision")));
            out.println("last attempt:      " + Output.text(status.get("last_attempt_at")));
            out.println("last success:      " + Output.text(status.get("last_success_at")));
            List<String> errors = ApiException.lines(status.get("errors"));
            if (!errors.isEmpty()) {
                out.println("errors:");
                errors.forEach(e -> out.println("  " + e));
            }
            if (status.get("plan") != null) {
                out.println("plan:");
                Output.plan(out, status.get("plan"));
            }
            return 0;
        }
    }

    /** Reconciles now and waits for the result; exits 5 when the revision stalled or could not be fetched. */
    @Command(name = "sync", description = "Reconcile a source (default: the only one, or default) now and wait for the result "
            + "(exit 5 when it stalled or could not be fetched).")
    static final class Sync extends BaseCommand {

        @Mixin
        SourceName sourceName = new SourceName();

        @Option(names = { "--wait", "-w" }, description = "Wait until the sync finished and exit by its result (the default).")
        boolean waitFlag;

        @Option(names = "--no-wait", description = "Only ask for the sync.")
        boolean noWait;

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            if (waitFlag && noWait) {
                throw usage("--wait and --no-wait exclude each other");
            }
            String source = sourceName.of(this);
            Api api = api();
            String name = source != null ? source : defaultSource(api);
            Map<String, Object> result = Api.object(api.post("/api/gitops/sources/" + Api.encode(name) + "/sync"
                    + (noWait ? "" : "?wait=true"), null));
            if (output.structured()) {
                output.print(out(), result);
            } else if (noWait) {
                out().println("sync of " + name + " requested");
            } else {
                out().println(name + ": " + result.get("result") + " - " + Output.text(result.get("message")));
                Output.plan(out(), result.get("plan"));
            }
            if (noWait) {
                return 0;
            }
            String outcome = String.valueOf(result.get("result"));
            if (outcome.equals("applied") || outcome.equals("unchanged")) {
                return 0;
            }
            if (!output.structured()) {
                err().println("testumctl: " + name + " " + outcome + " (" + result.get("reason") + ")");
                ApiException.lines(result.get("errors")).forEach(e -> err().println("  " + e));
            }
            return Testumctl.UNSUCCESSFUL;
        }
    }

    /** What the fetched head (or {@code --ref}) would change, not applied; exits 5 when it is invalid. */
    @Command(name = "diff", description = "What the fetched head (or --ref) would change; nothing is applied (exit 5 when invalid).")
    static final class Diff extends BaseCommand {

        @Mixin
        SourceName sourceName = new SourceName();

        @Option(names = "--ref", paramLabel = "REF", description = "A branch, tag or commit to preview.")
        String ref;

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            String source = sourceName.of(this);
            Api api = api();
            PrintStream out = out();
            String name = source != null ? source : defaultSource(api);
            Map<String, Object> diff = Api.object(api.get("/api/gitops/sources/" + Api.encode(name) + "/diff"
                    + (ref == null ? "" : "?ref=" + Api.encode(ref))));
            boolean valid = !Boolean.FALSE.equals(diff.get("valid"));
            if (output.structured()) {
                output.print(out, diff);
                return valid ? 0 : Testumctl.UNSUCCESSFUL;
            }
            out.println(name + " at " + diff.get("ref") + " (" + shortRevision(diff.get("revision")) + ")"
                    + (valid ? "" : ": invalid, would not be applied"));
            Output.plan(out, diff.get("plan"));
            if (diff.get("authorized_keys") instanceof List<?> pairs && !pairs.isEmpty()) {
                out.println("authorized_keys:");
                for (Object p : pairs) {
                    Map<String, Object> pair = Api.object(p);
                    out.println("  " + pair.get("platform") + " (" + pair.get("user") + ")");
                    lines(pair.get("gained")).forEach(l -> out.println("    + " + l));
                    lines(pair.get("lost")).forEach(l -> out.println("    - " + l));
                }
            }
            if (!valid) {
                err().println("testumctl: revision " + shortRevision(diff.get("revision")) + " of " + name + " is invalid");
                ApiException.lines(diff.get("errors")).forEach(e -> err().println("  " + e));
                return Testumctl.UNSUCCESSFUL;
            }
            return 0;
        }
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

package io.testum.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runs start|list|show|cancel|follow}: command and script runs, as they run and afterwards. */
@Command(name = "runs", description = "Start, list, show, cancel and follow runs of commands and scripts.",
        subcommands = { RunCommands.Start.class, RunCommands.ListCommand.class, RunCommands.Show.class, RunCommands.Cancel.class,
                RunCommands.Follow.class })
final class RunCommands extends BaseCommand.Group {

    /** {@code runs start} is {@code exec}: the same targets, command or script, and {@code --wait}. */
    @Command(name = "start", description = { "Start a run of a command or a script (the same as exec).",
            "Without --wait: prints the run id. With --wait: each output line as \"host | line\", and exits 0 only when "
                    + "the run succeeded (a one-host run exits with the host's exit code)." })
    static final class Start extends ExecCommand {
    }

    @Command(name = "list", aliases = "ls", description = "The latest runs, newest first.")
    static final class ListCommand extends BaseCommand {

        @Option(names = "--status", paramLabel = "STATUS", description = "queued, running, succeeded, failed, canceled or timed_out.")
        String status;

        @Option(names = "--platform", paramLabel = "NAME", description = "Only runs on this platform.")
        String platform;

        @Option(names = "--requested-by", paramLabel = "USER", description = "Only runs this user (or token) started.")
        String requestedBy;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N runs (default 50).")
        int limit;

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            if (limit < 1 || limit > 1000) {
                throw usage("--limit must be between 1 and 1000");
            }
            List<String> params = new ArrayList<>();
            params.add("page=0");
            params.add("size=" + limit);
            if (status != null) {
                params.add("status=" + Api.encode(status));
            }
            if (platform != null) {
                params.add("platform=" + Api.encode(platform));
            }
            if (requestedBy != null) {
                params.add("requested_by=" + Api.encode(requestedBy));
            }
            Map<String, Object> page = Api.object(api().get("/api/runs?" + String.join("&", params)));
            List<Map<String, Object>> items = page.get("items") instanceof List<?> l ? l.stream().map(Api::object).toList() : List.of();
            if (output.structured()) {
                output.print(out(), items);
                return 0;
            }
            Output.table(out(), items, List.of(Output.column("ID", "id"), Output.column("STATUS", "status"),
                    new Output.Column("WHAT", RunCommands::what), Output.column("BY", "requested_by"),
                    Output.column("CREATED", "created_at"), Output.column("FINISHED", "finished_at"), Output.column("HOSTS", "hosts")));
            return 0;
        }
    }

    @Command(name = "show", description = "One run: what ran, its status, and each host's result and output.")
    static final class Show extends BaseCommand {

        @Parameters(paramLabel = "ID", description = "The run's id.")
        String id;

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            Map<String, Object> run = detail(api(), id);
            if (output.structured()) {
                output.print(out(), run);
                return 0;
            }
            PrintStream out = out();
            Map<String, Object> head = new LinkedHashMap<>(run);
            head.keySet().removeIf(k -> k.equals("results") || k.startsWith("results_"));
            Object script = head.remove("script");
            Output.fields(out, head);
            if (script != null) {
                out.println("script:");
                script.toString().lines().forEach(line -> out.println("  " + line));
            }
            List<Map<String, Object>> results = results(run);
            out.println();
            Output.table(out, results, List.of(Output.column("PLATFORM", "platform"), Output.column("STATUS", "status"),
                    Output.column("EXIT", "exit_code"), Output.column("STARTED", "started_at"), Output.column("FINISHED", "finished_at"),
                    Output.column("ERROR", "error")));
            for (Map<String, Object> result : results) {
                print(out, result.get("platform"), result.get("stdout"));
                print(err(), result.get("platform"), result.get("stderr"));
                if (Boolean.TRUE.equals(result.get("truncated"))) {
                    err().println(result.get("platform") + " | (output truncated)");
                }
            }
            return 0;
        }

        private static void print(PrintStream target, Object platform, Object text) {
            if (text != null && !text.toString().isEmpty()) {
                text.toString().lines().forEach(line -> target.println(platform + " | " + line));
            }
        }
    }

    @Command(name = "cancel", description = "Stop runs: no new hosts start, running ones are interrupted.")
    static final class Cancel extends BaseCommand {

        @Parameters(arity = "1..*", paramLabel = "ID", description = "The runs' ids.")
        List<String> ids;

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            Api api = api();
            List<Object> answers = new ArrayList<>();
            for (String id : ids) {
                Map<String, Object> run = Api.object(api.post("/api/runs/" + Api.encode(id) + "/cancel", null));
                if (output.structured()) {
                    answers.add(run);
                } else {
                    out().println("run " + id + " cancel requested (" + run.get("status") + ")");
                }
            }
            if (output.structured()) {
                output.print(out(), answers.size() == 1 ? answers.get(0) : answers);
            }
            return 0;
        }
    }

    @Command(name = "follow", description = { "Follow a run's output until it ends, each line as \"host | line\".",
            "Exits 0 when the run succeeded, 5 when not (a one-host run exits with the host's exit code)." })
    static final class Follow extends BaseCommand {

        @Parameters(paramLabel = "ID", description = "The run's id.")
        String id;

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            Api api = api();
            boolean quiet = output.structured();
            ExecCommand.Follower follower = new ExecCommand.Follower(quiet ? null : out(), quiet ? null : err());
            follower.follow(api, id);
            if (quiet) {
                output.print(out(), api.get("/api/runs/" + Api.encode(id)));
            }
            return follower.exitCode(id, err());
        }
    }

    /** A run with every host's result: the pages of {@code results} read one after the other. */
    static Map<String, Object> detail(Api api, String id) {
        String path = "/api/runs/" + Api.encode(id);
        Map<String, Object> run = new LinkedHashMap<>(Api.object(api.get(path + "?page=0&size=1000")));
        List<Object> results = new ArrayList<>(run.get("results") instanceof List<?> l ? l : List.of());
        long total = run.get("results_total") instanceof Number n ? n.longValue() : results.size();
        for (int page = 1; results.size() < total; page++) {
            Object more = Api.object(api.get(path + "?page=" + page + "&size=1000")).get("results");
            if (!(more instanceof List<?> list) || list.isEmpty()) {
                break;
            }
            results.addAll(list);
        }
        run.put("results", results);
        return run;
    }

    private static List<Map<String, Object>> results(Map<String, Object> run) {
        return run.get("results") instanceof List<?> l ? l.stream().map(Api::object).toList() : List.of();
    }

    /** The command, or {@code script (INTERPRETER)}. */
    private static Object what(Map<String, Object> run) {
        return run.get("command") != null ? run.get("command") : "script (" + Output.text(run.get("interpreter")) + ")";
    }
}

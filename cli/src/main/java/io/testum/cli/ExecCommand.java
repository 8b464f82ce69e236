package io.testum.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code exec <platform[,platform...] | --selector k=v> "<command>" [--wait]}, or with
 * {@code --script FILE} (and {@code --interpreter}, {@code --arg}, {@code --env}) instead of the
 * command: submits a run
 * ({@code POST /api/runs}); with {@code --wait}, follows its events ({@code GET /api/runs/{id}/events})
 * and prints every output line as {@code host | line} (stderr lines on stderr) as it arrives.
 */
@Command(name = "exec", description = { "Run a command on platforms.",
        "Without --wait: prints the run id. With --wait: each output line as \"host | line\", and exits 0 only when "
                + "the run succeeded (a one-host run exits with the host's exit code)." })
class ExecCommand extends BaseCommand {

    private static final int RECONNECTS = 3;

    @Parameters(arity = "0..2", paramLabel = "PLATFORM[,PLATFORM...] COMMAND",
            description = "The platforms (comma-separated) and the command; with --selector, only the command; "
                    + "with --script, no command. Quote the command.")
    List<String> words = new ArrayList<>();

    @Option(names = "--script", paramLabel = "FILE", description = "Run this script instead of a command (- for standard input); "
            + "it travels on stdin to the interpreter, never on the host's command line.")
    String script;

    @Option(names = "--interpreter", paramLabel = "PROGRAM", description = "The script's interpreter, e.g. python3 (default /bin/sh).")
    String interpreter;

    @Option(names = "--arg", paramLabel = "ARG", description = "An argument of the script; repeatable, in order.")
    List<String> args = new ArrayList<>();

    @Option(names = "--env", paramLabel = "NAME[=VALUE]", description = "An environment variable of the script; repeatable. "
            + "NAME alone takes the value from testumctl's own environment, so that it stays out of shell history.")
    List<String> env = new ArrayList<>();

    @Option(names = { "--selector", "-s" }, paramLabel = "k=v", description = "Platforms with this label; repeatable, all must match.")
    Map<String, String> selector = new LinkedHashMap<>();

    @Option(names = { "--wait", "-w" }, description = "Follow the output until the run ends.")
    boolean wait;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Time allowed per host (default 60).")
    Integer timeout;

    @Option(names = "--concurrency", paramLabel = "N", description = "Hosts at once (default 50).")
    Integer concurrency;

    @Option(names = "--max-failures", paramLabel = "N", description = "Start no more hosts after N failures.")
    Integer maxFailures;

    @Mixin
    JsonOption output = new JsonOption();

    private static List<String> names(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** {@code --env} as a map: {@code NAME=VALUE} as given, {@code NAME} from testumctl's own environment. */
    private Map<String, String> environment() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String e : env) {
            int eq = e.indexOf('=');
            String name = eq < 0 ? e : e.substring(0, eq);
            String value = eq < 0 ? terminal().env().get(name) : e.substring(eq + 1);
            if (value == null) {
                throw usage("--env " + name + ": testumctl's environment has no " + name + "; give --env " + name + "=VALUE");
            }
            values.put(name, value);
        }
        return values;
    }

    @Override
    public Integer call() {
        List<String> platforms = List.of();
        String command = null;
        if (script != null) {
            if (words.size() > 1 || (words.isEmpty() && selector.isEmpty())) {
                throw usage("exec --script takes a target and no command: testumctl exec web-01 --script check.py "
                        + "--interpreter python3, or testumctl exec --selector env=prod --script check.sh");
            }
            if (words.size() == 1) {
                platforms = names(words.get(0));
            }
        } else if (interpreter != null || !args.isEmpty() || !env.isEmpty()) {
            throw usage("--interpreter, --arg and --env go with --script FILE");
        } else if (words.size() == 2) {
            platforms = names(words.get(0));
            command = words.get(1);
        } else if (!selector.isEmpty() && words.size() == 1) {
            command = words.get(0);
        } else {
            throw usage("exec needs a target and a command: testumctl exec web-01 \"uptime\", or "
                    + "testumctl exec --selector env=prod \"uptime\" (quote the command)");
        }
        Map<String, Object> targets = targets(platforms, selector);
        Map<String, Object> body = new LinkedHashMap<>();
        if (script == null) {
            body.put("command", command);
        } else {
            body.put("script", Files.text(script, terminal()));
            body.put("interpreter", interpreter);
            body.put("args", args.isEmpty() ? null : args);
            body.put("env", env.isEmpty() ? null : environment());
        }
        body.put("targets", targets);
        body.put("timeout_seconds", timeout);
        body.put("concurrency", concurrency);
        body.put("max_failures", maxFailures);
        body.values().removeIf(v -> v == null);

        Api api = api();
        Map<String, Object> submitted = Api.object(api.post("/api/runs", body));
        String id = String.valueOf(submitted.get("id"));
        if (!wait) {
            if (output.structured()) {
                output.print(out(), submitted);
            } else {
                out().println(id);
            }
            return 0;
        }
        Follower follower = new Follower(output.structured() ? null : out(), output.structured() ? null : err());
        follower.follow(api, id);
        if (output.structured()) {
            output.print(out(), api.get("/api/runs/" + Api.encode(id)));
        }
        return follower.exitCode(id, err());
    }

    /** Turns a run's events into {@code host | line} lines, and remembers how each host ended. */
    static final class Follower {

        private final PrintStream out;
        private final PrintStream err;
        private final Map<String, StringBuilder> partial = new LinkedHashMap<>();
        private final Map<String, String> statuses = new LinkedHashMap<>();
        private final Map<String, Integer> exitCodes = new LinkedHashMap<>();
        private String runStatus;

        /** @param out where stdout lines go, and {@code err} stderr lines; null prints nothing */
        Follower(PrintStream out, PrintStream err) {
            this.out = out;
            this.err = err;
        }

        /** Reads the events until {@code run_done}, reconnecting after the last event seen if the stream breaks. */
        void follow(Api api, String id) {
            String lastId = null;
            int failures = 0;
            while (runStatus == null) {
                Map<String, String> headers = lastId == null ? Map.of() : Map.of("Last-Event-ID", lastId);
                try (EventStream events = new EventStream(api.stream("/api/runs/" + Api.encode(id) + "/events", headers))) {
                    EventStream.Event event;
                    while (runStatus == null && (event = events.next()) != null) {
                        if (event.id() != null) {
                            lastId = event.id();
                        }
                        accept(Api.object(Json.parse(event.data())));
                    }
                } catch (IOException e) {
                    // reconnect below
                }
                if (runStatus == null && ++failures > RECONNECTS) {
                    throw new ApiException("the events of run " + id + " stopped before the run ended; its result will be "
                            + "at GET /api/runs/" + id);
                }
            }
            partial.keySet().stream().toList().forEach(this::flush);
        }

        void accept(Map<String, Object> message) {
            String platform = String.valueOf(message.get("platform"));
            switch (String.valueOf(message.get("type"))) {
                case "output" -> output(platform, String.valueOf(message.get("stream")), String.valueOf(message.get("data")));
                case "status" -> {
                    statuses.put(platform, String.valueOf(message.get("status")));
                    if (message.get("error") != null && err != null) {
                        err.println(platform + " | " + message.get("status") + ": " + message.get("error"));
                    }
                }
                case "done" -> {
                    flush(platform + "\u0000stdout");
                    flush(platform + "\u0000stderr");
                    if (message.get("exit_code") instanceof Number n) {
                        exitCodes.put(platform, n.intValue());
                    }
                }
                case "run_done" -> runStatus = String.valueOf(message.get("status"));
                default -> {
                    // a newer service's message: not shown
                }
            }
        }

        private void output(String platform, String stream, String data) {
            String key = platform + "\u0000" + stream;
            StringBuilder buffer = partial.computeIfAbsent(key, k -> new StringBuilder());
            buffer.append(data);
            int newline;
            while ((newline = buffer.indexOf("\n")) >= 0) {
                print(key, buffer.substring(0, newline));
                buffer.delete(0, newline + 1);
            }
        }

        private void flush(String key) {
            StringBuilder buffer = partial.remove(key);
            if (buffer != null && buffer.length() > 0) {
                print(key, buffer.toString());
            }
        }

        private void print(String key, String line) {
            int cut = key.indexOf('\u0000');
            PrintStream target = key.endsWith("\u0000stderr") ? err : out;
            if (target != null) {
                target.println(key.substring(0, cut) + " | " + (line.endsWith("\r") ? line.substring(0, line.length() - 1) : line));
            }
        }

        /**
         * 0 when the run succeeded; else a one-host run's non-zero exit code (at most 255), or 5. A run
         * that did not succeed is summed up on {@code err}.
         */
        int exitCode(String id, PrintStream err) {
            if ("succeeded".equals(runStatus)) {
                return 0;
            }
            List<String> hosts = new ArrayList<>();
            statuses.forEach((platform, status) -> {
                if (!"succeeded".equals(status)) {
                    Integer code = exitCodes.get(platform);
                    hosts.add(platform + ": " + status + (code == null ? "" : ", exit " + code));
                }
            });
            err.println("testumctl: run " + id + " " + runStatus + (hosts.isEmpty() ? "" : " (" + String.join("; ", hosts) + ")"));
            if (statuses.size() == 1 && exitCodes.size() == 1) {
                int code = exitCodes.values().iterator().next();
                if (code != 0) {
                    return Math.min(Math.max(code, 1), 255);
                }
            }
            return Testumctl.UNSUCCESSFUL;
        }

        String runStatus() {
            return runStatus;
        }
    }
}

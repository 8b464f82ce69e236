package io.testum.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code schedules list|show|create|remove|runs}: runs that fire on their own. */
@Command(name = "schedules", description = "List, show, create and remove scheduled runs, and list their runs.",
        subcommands = { ScheduleCommands.ListCommand.class, ScheduleCommands.ShowCommand.class,
                ScheduleCommands.CreateCommand.class, ScheduleCommands.RemoveCommand.class, ScheduleCommands.RunsCommand.class })
final class ScheduleCommands extends BaseCommand.Group {

    @Command(name = "list", aliases = "ls", description = "The schedules, as a table or with --json as the API gives them.")
    static final class ListCommand extends BaseCommand {

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            List<Map<String, Object>> items = api().list("/api/schedules");
            return printList(output, items, List.of(Output.column("NAME", "name"), Output.column("CRON", "cron"),
                    Output.column("TIMEZONE", "timezone"), Output.column("ENABLED", "enabled"),
                    Output.column("NEXT", "next_fire_at"), Output.column("LAST", "last_fired_at"),
                    Output.column("ERROR", "last_error"), Output.column("SOURCE", "source")));
        }
    }

    @Command(name = "show", description = "One schedule: a field per line, or the API's fields with --output json|yaml.")
    static final class ShowCommand extends BaseCommand.Showing {

        @Override
        String path() {
            return "/api/schedules";
        }

        @Override
        String example() {
            return "testumctl schedules show nightly";
        }
    }

    @Command(name = "create", aliases = "add", description = "Create a schedule of a command or a script.")
    static final class CreateCommand extends BaseCommand {

        @Mixin
        NameArgument name = new NameArgument();

        @Option(names = "--cron", required = true, paramLabel = "\"M H DOM MON DOW\"", description = "Five-field cron, e.g. \"0 3 * * *\".")
        String cron;

        @Option(names = "--timezone", paramLabel = "ZONE", description = "e.g. Europe/Berlin (default UTC).")
        String timezone;

        @Option(names = "--command", paramLabel = "COMMAND", description = "The command to run (or --script).")
        String command;

        @Option(names = "--script", paramLabel = "FILE", description = "A script file to run (- for standard input).")
        String script;

        @Option(names = "--interpreter", paramLabel = "PROGRAM", description = "The script's interpreter (default /bin/sh).")
        String interpreter;

        @Option(names = "--platforms", paramLabel = "A,B", split = ",", description = "Target platforms by name.")
        List<String> platforms = new ArrayList<>();

        @Option(names = { "--selector", "-s" }, paramLabel = "k=v", description = "Target platforms by label; repeatable.")
        Map<String, String> selector = new LinkedHashMap<>();

        @Option(names = "--misfire", paramLabel = "skip|run-once", description = "A firing missed while no leader ran (default skip).")
        String misfire;

        @Option(names = "--timeout", paramLabel = "SECONDS", description = "Time allowed per host.")
        Integer timeout;

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            String scheduleName = name.of(this, "testumctl schedules create nightly --cron \"0 3 * * *\" --command \"df -h\" -s role=web");
            if ((command == null) == (script == null)) {
                throw usage("give --command or --script FILE");
            }
            Map<String, Object> targets = targets(platforms, selector);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", scheduleName);
            body.put("cron", cron);
            body.put("timezone", timezone);
            body.put("command", command);
            body.put("script", script == null ? null : Files.text(script, terminal()));
            body.put("interpreter", interpreter);
            body.put("targets", targets);
            body.put("misfire", misfire);
            body.put("timeout_seconds", timeout);
            body.values().removeIf(v -> v == null);
            Map<String, Object> created = Api.object(api().post("/api/schedules", body));
            if (output.structured()) {
                output.print(out(), created);
            } else {
                out().println("schedule " + created.get("name") + " created, next run at " + created.get("next_fire_at"));
            }
            return 0;
        }
    }

    @Command(name = "remove", aliases = { "rm", "delete" }, description = "Remove schedules (their runs stay).")
    static final class RemoveCommand extends BaseCommand.Removal {
        @Override
        String path() {
            return "/api/schedules";
        }

        @Override
        String kind() {
            return "schedule";
        }
    }

    @Command(name = "runs", description = "The runs a schedule started, newest first.")
    static final class RunsCommand extends BaseCommand {

        @Mixin
        NameArgument name = new NameArgument();

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            List<Map<String, Object>> items = api().all("/api/schedules/"
                    + Api.encode(name.of(this, "testumctl schedules runs nightly")) + "/runs");
            return printList(output, items, List.of(Output.column("ID", "id"), Output.column("STATUS", "status"),
                    Output.column("CREATED", "created_at"), Output.column("HOSTS", "hosts")));
        }
    }
}

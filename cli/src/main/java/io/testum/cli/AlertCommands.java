package io.testum.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code alerts list|show|create|update|remove|deliveries}: outgoing notifications (admin). The
 * signing secret, and a URL that carries a token (a Slack webhook's), are read from a file or
 * standard input, never from the command line; neither is ever shown again.
 */
@Command(name = "alerts", description = "Outgoing notifications on events: list, show, create, update or remove alerts, see their deliveries.",
        subcommands = { AlertCommands.ListCommand.class, AlertCommands.Show.class, AlertCommands.Create.class,
                AlertCommands.Update.class, AlertCommands.RemoveCommand.class, AlertCommands.Deliveries.class })
final class AlertCommands extends BaseCommand.Group {

    private static final String PATH = "/api/alerts";

    @Command(name = "list", aliases = "ls", description = "The alerts (URLs cut to scheme, host and port).")
    static final class ListCommand extends BaseCommand {

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            List<Map<String, Object>> items = api().list(PATH);
            return printList(output, items, List.of(Output.column("NAME", "name"), Output.column("TYPE", "type"),
                    Output.column("URL", "url"), Output.column("EVENTS", "events"), Output.column("SELECTOR", "selector"),
                    Output.column("ENABLED", "enabled"), Output.column("SOURCE", "source")));
        }
    }

    @Command(name = "show", description = "One alert.")
    static final class Show extends BaseCommand.Showing {

        @Override
        String path() {
            return PATH;
        }

        @Override
        String example() {
            return "testumctl alerts show ops-channel";
        }
    }

    /** Where the URL comes from: {@code --url}, or {@code --url-file} for one that carries a token. */
    static final class Url {
        @Option(names = "--url", paramLabel = "URL", description = "The receiver's URL (a URL without a token in it).")
        String url;

        @Option(names = "--url-file", paramLabel = "FILE", description = "A file holding the URL (e.g. a Slack webhook's, whose path is its token); - for standard input.")
        String urlFile;
    }

    /** The fields of an alert that the command line may set. */
    static final class Fields {
        @Option(names = "--type", paramLabel = "webhook|slack", description = "webhook (signed JSON) or slack.")
        String type;

        @ArgGroup(exclusive = true)
        Url url;

        @Option(names = "--secret-file", paramLabel = "FILE", description = "A file holding the webhook's signing secret; - for standard input.")
        String secretFile;

        @Option(names = { "--events", "-e" }, paramLabel = "A,B", split = ",", description = "The events, e.g. deployment.failed,run.failed.")
        List<String> events;

        @Option(names = { "--selector", "-s" }, paramLabel = "k=v", description = "Only events of platforms with these labels; repeatable.")
        Map<String, String> selector;

        @Option(names = "--enabled", arity = "1", paramLabel = "true|false", description = "Whether it sends.")
        Boolean enabled;

        Map<String, Object> over(BaseCommand command, Map<String, Object> base) {
            Map<String, Object> body = new LinkedHashMap<>(base);
            putGiven(body, "type", type);
            if (url != null) {
                putGiven(body, "url", url.urlFile != null ? Files.secret(url.urlFile, command.terminal()) : url.url);
            }
            if (secretFile != null) {
                if (url != null && "-".equals(url.urlFile) && "-".equals(secretFile)) {
                    throw command.usage("the URL and the secret cannot both come from standard input");
                }
                putGiven(body, "secret", Files.secret(secretFile, command.terminal()));
            }
            putGiven(body, "events", events);
            putGiven(body, "selector", selector);
            putGiven(body, "enabled", enabled);
            return body;
        }

    }

    @Command(name = "create", aliases = "add", description = "Create an alert, e.g. --type webhook --url URL --secret-file FILE --events deployment.failed.")
    static final class Create extends BaseCommand {

        @Mixin
        NameArgument name = new NameArgument();

        @Mixin
        Fields fields = new Fields();

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name.of(this, "testumctl alerts create ops --type slack --url-file slack-url --events run.failed"));
            print(this, output, Api.object(api().post(PATH, fields.over(this, body))), "created");
            return 0;
        }
    }

    @Command(name = "update", description = "Change an alert: what is given replaces what it says; the URL and the secret stay unless given.")
    static final class Update extends BaseCommand {

        @Mixin
        NameArgument name = new NameArgument();

        @Mixin
        Fields fields = new Fields();

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            String alert = name.of(this, "testumctl alerts update ops --events run.failed,schedule.failed");
            Api api = api();
            Map<String, Object> stored = Api.object(api.get(PATH + "/" + Api.encode(alert)));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", alert);
            body.put("type", stored.get("type"));
            body.put("events", stored.get("events"));
            body.put("selector", stored.get("selector"));
            body.put("enabled", stored.get("enabled"));
            print(this, output, Api.object(api.call("PUT", PATH + "/" + Api.encode(alert), fields.over(this, body))), "updated");
            return 0;
        }
    }

    private static void print(BaseCommand command, BaseCommand.JsonOption output, Map<String, Object> alert, String what) {
        if (output.structured()) {
            output.print(command.out(), alert);
        } else {
            command.out().println("alert " + alert.get("name") + " " + what + " (" + alert.get("type") + " to " + alert.get("url")
                    + "; events " + Output.text(alert.get("events")) + ")");
        }
    }

    @Command(name = "remove", aliases = { "rm", "delete" }, description = "Remove alerts (and their delivery logs).")
    static final class RemoveCommand extends BaseCommand.Removal {
        @Override
        String path() {
            return PATH;
        }

        @Override
        String kind() {
            return "alert";
        }
    }

    @Command(name = "deliveries", description = "An alert's delivery log, newest first.")
    static final class Deliveries extends BaseCommand {

        @Mixin
        NameArgument name = new NameArgument();

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            String alert = name.of(this, "testumctl alerts deliveries ops");
            return printList(output, api().all(PATH + "/" + Api.encode(alert) + "/deliveries"), List.of(Output.column("TIME", "time"),
                    Output.column("EVENT", "event"), Output.column("SUBJECT", "subject"), Output.column("STATUS", "status"),
                    Output.column("ATTEMPTS", "attempts"), Output.column("HTTP", "http_status"), Output.column("ERROR", "error")));
        }
    }
}

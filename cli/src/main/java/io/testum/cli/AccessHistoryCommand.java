package io.testum.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code access-history}: who could log in where, at a moment ({@code --at}) or over a range
 * ({@code --from}/{@code --to}), as the API answers it; {@code --export csv|json} prints the
 * auditors' export instead.
 */
@Command(name = "access-history", description = "Who could log in where: at a moment (--at) or every interval overlapping a range (--from, --to).")
final class AccessHistoryCommand extends BaseCommand {

    private static final List<Output.Column> COLUMNS = List.of(Output.column("PLATFORM", "platform"), Output.column("USER", "user"),
            Output.column("OBSERVED", "observed"), Output.column("FROM", "from"), Output.column("TO", "to"),
            new Output.Column("KEYS", AccessHistoryCommand::keys), Output.column("SOURCE", "source"),
            Output.column("REVISION", "revision"));

    @Option(names = "--platform", paramLabel = "NAME", description = "Only this platform.")
    String platform;

    @Option(names = { "--user", "--account" }, paramLabel = "ACCOUNT", description = "Only this account.")
    String user;

    @Option(names = "--key", paramLabel = "NAME", description = "Only blocks holding this key (by testum's name).")
    String key;

    @Option(names = "--fingerprint", paramLabel = "SHA256:...", description = "Only blocks holding this key (by fingerprint).")
    String fingerprint;

    @Option(names = "--observed", paramLabel = "KIND", description = "Only what was seen so (managed, drift, unmanaged); repeatable.")
    List<String> observed = new ArrayList<>();

    @Option(names = "--at", paramLabel = "TIME", description = "An instant, e.g. 2026-11-30T12:00:00Z: what was in force then.")
    String at;

    @Option(names = "--from", paramLabel = "TIME", description = "With --to: every interval overlapping the range.")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "With --from: the end of the range.")
    String to;

    @Option(names = "--export", paramLabel = "csv|json", description = "Print the auditors' export (every match, not paged) in this format.")
    String export;

    @Mixin
    JsonOption output = new JsonOption();

    @Override
    public Integer call() {
        if (at != null && (from != null || to != null)) {
            throw usage("access-history takes --at, or --from and --to, not both");
        }
        List<String> params = new ArrayList<>();
        add(params, "platform", platform);
        add(params, "user", user);
        add(params, "key", key);
        add(params, "fingerprint", fingerprint);
        observed.forEach(o -> add(params, "observed", o));
        add(params, "at", at);
        add(params, "from", from);
        add(params, "to", to);
        String query = params.isEmpty() ? "" : "?" + String.join("&", params);
        if (export != null) {
            if (!export.equals("csv") && !export.equals("json")) {
                throw usage("--export takes csv or json, not " + export);
            }
            byte[] body = api().download("/api/access-history/export?format=" + export
                    + (params.isEmpty() ? "" : "&" + String.join("&", params)), export.equals("csv") ? "text/csv" : "application/json");
            out().write(body, 0, body.length);
            out().flush();
            return 0;
        }
        return printList(output, api().all("/api/access-history" + query), COLUMNS);
    }

    private static void add(List<String> params, String name, String value) {
        if (value != null) {
            params.add(name + "=" + Api.encode(value));
        }
    }

    /** A block's keys by testum's name, else by fingerprint. */
    private static Object keys(Map<String, Object> interval) {
        if (!(interval.get("keys") instanceof List<?> keys)) {
            return null;
        }
        return String.join(",", keys.stream().map(k -> k instanceof Map<?, ?> m ? String.valueOf(Objects.requireNonNullElse(m.get("name"),
                m.get("fingerprint"))) : String.valueOf(k)).toList());
    }
}

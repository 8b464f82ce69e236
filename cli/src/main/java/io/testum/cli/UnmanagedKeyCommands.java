package io.testum.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code unmanaged-keys list|platform}: keys on the hosts outside testum's managed blocks. */
@Command(name = "unmanaged-keys", description = "Keys found on the hosts outside testum's managed blocks: across the fleet, or of one platform.",
        subcommands = { UnmanagedKeyCommands.ListCommand.class, UnmanagedKeyCommands.PlatformCommand.class })
final class UnmanagedKeyCommands extends BaseCommand.Group {

    private static final List<Output.Column> COLUMNS = List.of(Output.column("PLATFORM", "platform"), Output.column("USER", "user"),
            Output.column("TYPE", "type"), Output.column("BITS", "bits"), Output.column("FINGERPRINT", "fingerprint"),
            Output.column("COMMENT", "comment"), Output.column("KNOWN AS", "known_key"), Output.column("FLAGS", "flags"),
            Output.column("LAST SEEN", "last_seen_at"));

    @Command(name = "list", aliases = "ls", description = "Unmanaged keys across the fleet, filtered as the API filters them.")
    static final class ListCommand extends BaseCommand {

        @Option(names = "--fingerprint", paramLabel = "SHA256:...", description = "Only this key.")
        String fingerprint;

        @Option(names = "--platform", paramLabel = "NAME", description = "Only on this platform.")
        String platform;

        @Option(names = { "--label", "-l" }, paramLabel = "k=v", description = "Only on platforms with this label (k=v, or k for any value); repeatable.")
        List<String> labels = new ArrayList<>();

        @Option(names = "--known", arity = "1", paramLabel = "true|false", description = "Only keys testum knows by another name (true), or not (false).")
        Boolean known;

        @Option(names = "--weak", arity = "1", paramLabel = "true|false", description = "Only weak keys (true), or only strong ones (false).")
        Boolean weak;

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            List<String> params = new ArrayList<>();
            if (fingerprint != null) {
                params.add("fingerprint=" + Api.encode(fingerprint));
            }
            if (platform != null) {
                params.add("platform=" + Api.encode(platform));
            }
            labels.forEach(l -> params.add("label=" + Api.encode(l)));
            if (known != null) {
                params.add("known=" + known);
            }
            if (weak != null) {
                params.add("weak=" + weak);
            }
            List<Map<String, Object>> items = api().all("/api/unmanaged-keys" + (params.isEmpty() ? "" : "?" + String.join("&", params)));
            if (output.structured()) {
                output.print(out(), items);
            } else {
                Output.table(out(), items, COLUMNS);
            }
            return 0;
        }
    }

    @Command(name = "platform", description = "The unmanaged keys of one platform, per account.")
    static final class PlatformCommand extends BaseCommand {

        @Parameters(paramLabel = "PLATFORM", description = "The platform.")
        String platform;

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            List<Map<String, Object>> items = api().all("/api/platforms/" + Api.encode(platform) + "/unmanaged-keys");
            if (output.structured()) {
                output.print(out(), items);
            } else {
                Output.table(out(), items, COLUMNS);
            }
            return 0;
        }
    }
}

package io.testum.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code backup export [-o FILE]} and {@code backup import FILE [--dry-run]}. */
@Command(name = "backup", description = "Export the inventory as a desired-state document, or restore one.",
        subcommands = { BackupCommands.Export.class, BackupCommands.Restore.class })
final class BackupCommands extends BaseCommand.Group {

    /** The inventory as YAML, to {@code -o FILE} (written whole, or not at all) or standard output. */
    @Command(name = "export", description = "The inventory as YAML, without secrets.")
    static final class Export extends BaseCommand {

        @Option(names = { "-o", "--output" }, paramLabel = "FILE", description = "Write to FILE (whole, or not at all); default standard output.")
        String file;

        @Override
        public Integer call() {
            byte[] yaml = api().download("/api/backup/export", "application/yaml");
            if (file == null || file.equals("-")) {
                out().write(yaml, 0, yaml.length);
                out().flush();
                return 0;
            }
            Path target = Path.of(file).toAbsolutePath();
            Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
            try {
                java.nio.file.Files.write(tmp, yaml);
                java.nio.file.Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                try {
                    java.nio.file.Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file is all that is left
                }
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            }
            err().println("inventory exported to " + file);
            return 0;
        }
    }

    /** Sends the file as a multipart form, so that problems name it; prints the plan. */
    @Command(name = "import", aliases = "restore", description = "Restore a backup: adds and updates, never deletes.")
    static final class Restore extends BaseCommand {

        @Parameters(paramLabel = "FILE", description = "The document; - for standard input.")
        String file;

        @Option(names = "--dry-run", description = "Show the plan; change nothing.")
        boolean dryRun;

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            byte[] content = Files.bytes(file, terminal());
            String name = file.equals("-") ? "stdin.yaml" : Path.of(file).getFileName().toString();
            String boundary = "testumctl-" + UUID.randomUUID();
            Map<String, Object> answer = Api.object(api().send("POST", "/api/backup/import" + (dryRun ? "?dry_run=true" : ""),
                    "multipart/form-data; boundary=" + boundary, form(boundary, name, content)));
            if (output.structured()) {
                output.print(out(), answer);
                return 0;
            }
            boolean applied = Boolean.TRUE.equals(answer.get("applied"));
            out().println(dryRun ? "Dry run of " + file + ", nothing changed:"
                    : applied ? "Restored " + file + ":" : "Nothing to restore from " + file + ", the inventory already matches:");
            Output.plan(out(), answer.get("plan"));
            if (answer.get("plan") instanceof Map<?, ?> plan && plan.get("source") instanceof Map<?, ?> sources) {
                out().println(String.format("  %-14s %s created, %s kept as they are", "sources:", names(sources.get("created")),
                        names(sources.get("kept"))));
            }
            if (answer.get("ownership") instanceof List<?> owned && !owned.isEmpty()) {
                long assigned = owned.stream().filter(o -> o instanceof Map<?, ?> m && "assign".equals(m.get("action"))).count();
                out().println("  " + assigned + " objects given back to the GitOps sources that managed them, "
                        + (owned.size() - assigned) + " left to the sources that manage them");
            }
            return 0;
        }
    }

    private static byte[] form(String boundary, String name, byte[] content) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String head = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"" + name.replaceAll("[\"\\\\\r\n]", "_") + "\"\r\n"
                + "Content-Type: application/yaml\r\n\r\n";
        body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    private static String names(Object list) {
        List<?> l = list instanceof List<?> x ? x : List.of();
        return l.isEmpty() ? "0" : l.size() + " (" + String.join(", ", l.stream().map(String::valueOf).toList()) + ")";
    }
}

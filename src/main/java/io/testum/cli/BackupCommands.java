package io.testum.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code backup export [-o FILE]} and {@code backup import FILE [--dry-run]}. */
final class BackupCommands {

    private BackupCommands() {
    }

    static int run(String sub, Args args, Terminal t) {
        switch (sub) {
            case "export":
                return export(args, t);
            case "import", "restore":
                return restore(args, t);
            default:
                throw Testumctl.unknownSubcommand("backup", sub, "export, import");
        }
    }

    /** The inventory as YAML, to {@code -o FILE} (written whole, or not at all) or standard output. */
    private static int export(Args args, Terminal t) {
        String file = args.option("-o", "--output");
        args.exactly();
        byte[] yaml = Api.open(t).download("/api/backup/export", "application/yaml");
        if (file == null || file.equals("-")) {
            t.out().write(yaml, 0, yaml.length);
            t.out().flush();
            return 0;
        }
        Path target = Path.of(file).toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.write(tmp, yaml);
            Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the temporary file is all that is left
            }
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        t.err().println("inventory exported to " + file);
        return 0;
    }

    /** Sends the file as a multipart form, so that problems name it; prints the plan. */
    private static int restore(Args args, Terminal t) {
        boolean dryRun = args.flag("--dry-run");
        boolean json = args.flag("--json");
        String file = args.exactly("FILE").get(0);
        byte[] content = KeyCommands.bytes(file, t);
        String name = file.equals("-") ? "stdin.yaml" : Path.of(file).getFileName().toString();
        String boundary = "testumctl-" + UUID.randomUUID();
        Map<String, Object> answer = Api.object(Api.open(t).send("POST", "/api/backup/import" + (dryRun ? "?dry_run=true" : ""),
                "multipart/form-data; boundary=" + boundary, form(boundary, name, content)));
        if (json) {
            Output.json(t.out(), answer);
            return 0;
        }
        boolean applied = Boolean.TRUE.equals(answer.get("applied"));
        t.out().println(dryRun ? "Dry run of " + file + ", nothing changed:"
                : applied ? "Restored " + file + ":" : "Nothing to restore from " + file + ", the inventory already matches:");
        Output.plan(t.out(), answer.get("plan"));
        if (answer.get("plan") instanceof Map<?, ?> plan && plan.get("source") instanceof Map<?, ?> sources) {
            t.out().println(String.format("  %-14s %s created, %s kept as they are", "sources:", names(sources.get("created")),
                    names(sources.get("kept"))));
        }
        if (answer.get("ownership") instanceof List<?> owned && !owned.isEmpty()) {
            long assigned = owned.stream().filter(o -> o instanceof Map<?, ?> m && "assign".equals(m.get("action"))).count();
            t.out().println("  " + assigned + " objects given back to the GitOps sources that managed them, "
                    + (owned.size() - assigned) + " left to the sources that manage them");
        }
        return 0;
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

package io.testum.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How testumctl prints: aligned tables and {@code field: value} lines for people, the API's answer as
 * JSON or YAML for {@code --output json|yaml}, plans in a few lines.
 */
final class Output {

    /** {@code --output}: for people, or the API's fields as JSON or YAML. */
    enum Format {
        TABLE, JSON, YAML;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The formats as {@code --output} takes them, for help and shell completion. */
    static final class Formats implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(Format.values()).map(Format::label).iterator();
        }
    }

    /** {@code table}, {@code json} or {@code yaml}, in any case; else a usage error that lists them. */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            for (Format f : Format.values()) {
                if (f.label().equalsIgnoreCase(value.strip())) {
                    return f;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a format; use table, json or yaml");
        }
    }

    private static final List<String[]> KINDS = List.of(new String[] { "platform", "platforms" },
            new String[] { "ssh_key", "ssh keys" }, new String[] { "credential", "credentials" },
            new String[] { "access", "access grants" });

    private Output() {
    }

    /** A column: its heading and how to read it from an item. */
    record Column(String heading, Function<Map<String, Object>, Object> value) {
    }

    static Column column(String heading, String field) {
        return new Column(heading, item -> item.get(field));
    }

    /** {@code items} as a table with a heading row; empty values as {@code -}. */
    static void table(PrintStream out, List<Map<String, Object>> items, List<Column> columns) {
        List<String[]> rows = new ArrayList<>();
        rows.add(columns.stream().map(Column::heading).toArray(String[]::new));
        for (Map<String, Object> item : items) {
            rows.add(columns.stream().map(c -> text(c.value().apply(item))).toArray(String[]::new));
        }
        int[] widths = new int[columns.size()];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    static void json(PrintStream out, Object value) {
        out.println(Json.pretty(value));
    }

    /** {@code value} as {@code format} says: indented JSON, or a YAML document; a table is not for this. */
    static void structured(PrintStream out, Format format, Object value) {
        if (format == Format.YAML) {
            out.print(Json.yaml(value));
        } else {
            json(out, value);
        }
    }

    /** One object for people: a {@code field: value} line per field, aligned; nested values as one cell. */
    static void fields(PrintStream out, Map<String, Object> item) {
        int width = item.keySet().stream().mapToInt(String::length).max().orElse(0) + 1;
        item.forEach((field, value) -> out.println(String.format("%-" + width + "s %s", field + ":", text(value)).stripTrailing()));
    }

    /** A value as one cell: lists joined with commas, maps as {@code k=v,k=v}, null as {@code -}. */
    static String text(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof List<?> list) {
            return list.isEmpty() ? "-" : String.join(",", list.stream().map(String::valueOf).toList());
        }
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                return "-";
            }
            List<String> pairs = new ArrayList<>();
            map.forEach((k, v) -> pairs.add(k + "=" + v));
            return String.join(",", pairs);
        }
        String s = value.toString();
        return s.isEmpty() ? "-" : s;
    }

    /** A plan ({@code {platform: {created, updated, deleted, unchanged}, ...}}) as one line per kind. */
    static void plan(PrintStream out, Object plan) {
        if (!(plan instanceof Map<?, ?> kinds)) {
            return;
        }
        for (String[] kind : KINDS) {
            if (!(kinds.get(kind[0]) instanceof Map<?, ?> k)) {
                continue;
            }
            out.println(String.format("  %-14s %s, %s, %s, %s unchanged", kind[1] + ":", names("created", k.get("created")),
                    names("updated", k.get("updated")), names("deleted", k.get("deleted")), k.get("unchanged")));
        }
    }

    private static String names(String what, Object names) {
        List<?> list = names instanceof List<?> l ? l : List.of();
        if (list.isEmpty()) {
            return "0 " + what;
        }
        String shown = String.join(", ", list.stream().limit(10).map(String::valueOf).toList());
        return list.size() + " " + what + " (" + shown + (list.size() > 10 ? ", ..." : "") + ")";
    }
}

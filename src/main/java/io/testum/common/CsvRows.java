package io.testum.common;

import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * CSV for exports that people open in spreadsheets: a cell that starts like a formula
 * ({@code = + - @}, tab, carriage return) is prefixed with {@code '} so it is shown, never run, and
 * a cell holding a separator, a quote or a line break is quoted. A null cell is empty.
 */
public final class CsvRows {

    private CsvRows() {
    }

    /** One line, ending in {@code \n}. */
    public static String line(String... cells) {
        return Stream.of(cells).map(CsvRows::cell).collect(Collectors.joining(",")) + "\n";
    }

    static String cell(String raw) {
        if (raw == null) {
            return "";
        }
        String value = raw.isEmpty() || "=+-@\t\r".indexOf(raw.charAt(0)) < 0 ? raw : "'" + raw;
        if (value.chars().anyMatch(c -> c == ',' || c == ';' || c == '"' || c == '\n' || c == '\r')) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }
}

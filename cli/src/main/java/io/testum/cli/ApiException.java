package io.testum.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The service said no, or could not be reached: the problem details' {@code detail} and each of its
 * {@code errors}, ready to print.
 */
final class ApiException extends RuntimeException {

    private final int status;
    private final List<String> errors;

    ApiException(int status, String message, List<String> errors) {
        super(message);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    ApiException(String message) {
        this(0, message, List.of());
    }

    /** The HTTP status, or 0 when there was no answer. */
    int status() {
        return status;
    }

    /** One line per problem: {@code file:line:column: message} or {@code field: message}. */
    List<String> errors() {
        return errors;
    }

    /** From an answer of {@code status} whose body is {@code body} (problem details, other JSON, or text). */
    static ApiException of(int status, String body) {
        Object parsed = null;
        try {
            parsed = body == null || body.isBlank() ? null : Json.parse(body);
        } catch (IllegalArgumentException e) {
            // not JSON: shown as text below
        }
        if (parsed instanceof Map<?, ?> problem) {
            Object detail = problem.get("detail");
            if (detail == null) {
                detail = problem.get("title");
            }
            if (detail == null) {
                detail = problem.get("message");
            }
            return new ApiException(status, detail == null ? "HTTP " + status : detail.toString(), lines(problem.get("errors")));
        }
        String text = body == null ? "" : body.strip();
        int end = text.indexOf('\n');
        text = end < 0 ? text : text.substring(0, end);
        return new ApiException(status, "HTTP " + status + (text.isEmpty() ? "" : ": " + shorten(text)), List.of());
    }

    /** Each entry of a problem's {@code errors}, as a line. */
    static List<String> lines(Object errors) {
        List<String> lines = new ArrayList<>();
        if (errors instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> error) {
                    String where = "";
                    if (error.get("file") != null) {
                        where = error.get("file") + ":" + error.get("line") + ":" + error.get("column") + ": ";
                    } else if (error.get("field") != null) {
                        where = error.get("field") + ": ";
                    }
                    lines.add(where + error.get("message"));
                } else if (item != null) {
                    lines.add(item.toString());
                }
            }
        }
        return lines;
    }

    private static String shorten(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}

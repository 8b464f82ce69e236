package io.testum.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads Server-Sent Events (the {@code text/event-stream} format): {@code id:}, {@code event:} and
 * {@code data:} lines, an empty line ending each event, {@code :} lines being comments.
 */
final class EventStream implements AutoCloseable {

    /** One event; {@code data} joins its data lines with newlines. */
    record Event(String id, String name, String data) {
    }

    private final BufferedReader reader;

    EventStream(InputStream in) {
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The next event, or null when the stream ended. */
    Event next() throws IOException {
        String id = null;
        String name = null;
        StringBuilder data = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new Event(id, name == null ? "message" : name, data.toString());
                }
                id = null;
                name = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> id = value;
                case "event" -> name = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> {
                    // retry and unknown fields: not needed here
                }
            }
        }
        return data == null ? null : new Event(id, name == null ? "message" : name, data.toString());
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}

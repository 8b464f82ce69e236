package io.testum.runs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.core.StreamingOutput;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Multi;

/**
 * Writes run answers as JSON a piece at a time, with the API's own mapper (snake_case, ISO
 * times): one host result or group per piece, each taken from the database only when the one
 * before it went out to the client (the response's output stream waits while the client is
 * slow). So an answer about 1,000 hosts with a megabyte of output each holds a few of them at a
 * time. Blocking: the answers are written on a worker thread. The records it writes are
 * registered for reflection: they are no REST method's return type, so a native image would not
 * know them otherwise.
 */
@ApplicationScoped
@RegisterForReflection(targets = {RunViews.DetailHead.class, RunViews.HostResult.class, RunViews.Group.class})
class RunJson {

    /** Items taken from the database ahead of the client: each may hold 2 x testum.runs.max-output-bytes. */
    static final int AHEAD = 2;

    private final ObjectMapper mapper;

    RunJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** {@code {...head, "results": [result, ...]}}. */
    StreamingOutput detail(RunViews.DetailHead head, Multi<RunViews.HostResult> results) {
        return out -> {
            byte[] object = write(head);
            out.write(object, 0, object.length - 1); // without its closing brace
            out.write(",\"results\":".getBytes(StandardCharsets.US_ASCII));
            elements(out, results);
            out.write('}');
        };
    }

    /** {@code [item, ...]}. */
    StreamingOutput array(Multi<?> items) {
        return out -> elements(out, items);
    }

    private void elements(OutputStream out, Multi<?> items) throws IOException {
        out.write('[');
        // Closing the stream cancels the query stream when the client went away.
        try (Stream<?> stream = items.subscribe().asStream(AHEAD, () -> new ArrayBlockingQueue<>(AHEAD))) {
            Iterator<?> it = stream.iterator();
            for (boolean first = true; it.hasNext(); first = false) {
                if (!first) {
                    out.write(',');
                }
                out.write(write(it.next()));
            }
        }
        out.write(']');
    }

    private byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A run answer could not be written as JSON", e);
        }
    }
}

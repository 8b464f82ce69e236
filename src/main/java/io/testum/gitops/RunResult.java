package io.testum.gitops;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.testum.common.FieldError;

/**
 * How a reconcile ended (Flux-style typed outcomes).
 *
 * @param reason why the run ended so
 */
public record RunResult(String source, String trigger, String revision, Result result, ReconcileReason reason, String message,
        Plan plan, List<FieldError> errors, long durationMillis, Instant startedAt) {

    /** The outcome kinds. */
    public enum Result {
        /** The revision's changes are in the database; deployments were queued. */
        APPLIED,
        /** Nothing to do: same revision, nothing pending. No SSH, no writes. */
        UNCHANGED,
        /** The document is invalid: nothing changes until a new revision arrives. */
        STALLED,
        /** Fetching failed: retried with backoff. */
        WAITING,
        /** Anything else. */
        FAILED,
        /** Another run of the source was under way, or this replica does not lead. */
        SKIPPED;

        /** The word the API, the database ({@code reconcile_runs.result}) and the UI use. */
        @com.fasterxml.jackson.annotation.JsonValue
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The outcome a stored word stands for. */
        @com.fasterxml.jackson.annotation.JsonCreator
        public static Result of(String label) {
            return valueOf(label.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** Errors as the API and the status store them. */
    public List<Map<String, Object>> errorMaps() {
        return errors.stream().map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            if (e.file() != null) {
                m.put("file", e.file());
                m.put("line", e.line());
                m.put("column", e.column());
            }
            if (e.field() != null) {
                m.put("field", e.field());
            }
            m.put("message", e.message());
            return m;
        }).toList();
    }

    /** As {@code POST …/sync?wait=true} answers. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("source", source);
        map.put("trigger", trigger);
        map.put("revision", revision);
        map.put("result", result.label());
        map.put("reason", ReconcileReason.wireOf(reason));
        map.put("message", message);
        map.put("plan", plan == null ? null : plan.toMap());
        map.put("errors", errorMaps());
        map.put("duration_ms", durationMillis);
        return map;
    }
}

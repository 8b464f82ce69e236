package io.testum.runs;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thing a viewer of a run sees, in the order {@code seq} gives: a host's status, a chunk of
 * its output, its end, and the end of the run.
 */
public record RunEvent(long seq, String type, String platform, String stream, String data, String status, Integer exitCode,
        String error) {

    public static final String STATUS = "status";
    public static final String OUTPUT = "output";
    public static final String DONE = "done";
    public static final String RUN_DONE = "run_done";

    public static RunEvent status(String platform, RunStatus status, String error) {
        return new RunEvent(0, STATUS, platform, null, null, status.label(), null, error);
    }

    public static RunEvent output(String platform, String stream, String data) {
        return new RunEvent(0, OUTPUT, platform, stream, data, null, null, null);
    }

    public static RunEvent done(String platform, Integer exitCode) {
        return new RunEvent(0, DONE, platform, null, null, null, exitCode, null);
    }

    public static RunEvent runDone(RunStatus status) {
        return new RunEvent(0, RUN_DONE, null, null, null, status.label(), null, null);
    }

    public RunEvent withSeq(long value) {
        return new RunEvent(value, type, platform, stream, data, status, exitCode, error);
    }

    public boolean ends() {
        return RUN_DONE.equals(type);
    }

    /** The message of {@code /ws/runs/{id}} and of the event stream. */
    public Map<String, Object> message() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", type);
        switch (type) {
            case OUTPUT -> {
                map.put("platform", platform);
                map.put("stream", stream);
                map.put("data", data);
            }
            case STATUS -> {
                map.put("platform", platform);
                map.put("status", status);
                if (error != null) {
                    map.put("error", error);
                }
            }
            case DONE -> {
                map.put("platform", platform);
                map.put("exit_code", exitCode);
            }
            default -> map.put("status", status);
        }
        return map;
    }

    /**
     * The message of the earlier testum's {@code /ws/tasks/{id}}: {@code {type: output, data}} and
     * {@code {type: done, exit_code}}; status changes are not part of it, {@code run_done} ends it.
     */
    public Map<String, Object> taskMessage() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", type);
        switch (type) {
            case OUTPUT -> {
                map.put("data", data);
                map.put("stream", stream);
            }
            case DONE -> map.put("exit_code", exitCode);
            case RUN_DONE -> map.put("status", status);
            default -> {
                return null;
            }
        }
        return map;
    }
}

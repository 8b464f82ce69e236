package io.testum.runs;

import java.util.List;
import java.util.Map;

/** {@code POST /api/runs}. */
public record RunRequest(String command, Targets targets, Integer timeoutSeconds, Integer concurrency, Integer maxFailures) {

    /** Platforms by name and/or by label selector (all labels must match); the union is the target set. */
    public record Targets(List<String> platforms, Map<String, String> selector) {
    }

    /** {@code POST /api/platforms/{name}/run_command}, as the earlier testum took it. */
    public record Command(String command, Integer timeout) {
    }
}

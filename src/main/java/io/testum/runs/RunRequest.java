package io.testum.runs;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/runs}: a {@code command}, or a {@code script} for an {@code interpreter}
 * (default {@code /bin/sh}) with optional {@code args} and {@code env}.
 */
public record RunRequest(String command, String script, String interpreter, List<String> args, Map<String, String> env,
        Targets targets, Integer timeoutSeconds, Integer concurrency, Integer maxFailures) {

    /** A command run, as the earlier API took it. */
    public RunRequest(String command, Targets targets, Integer timeoutSeconds, Integer concurrency, Integer maxFailures) {
        this(command, null, null, null, null, targets, timeoutSeconds, concurrency, maxFailures);
    }

    /** The script this request carries, or {@code null} for a command run. */
    RunScript runScript() {
        return script == null && interpreter == null && args == null && env == null ? null
                : new RunScript(script, interpreter, args, env);
    }

    /** Platforms by name and/or by label selector (all labels must match); the union is the target set. */
    public record Targets(List<String> platforms, Map<String, String> selector) {
    }

    /** {@code POST /api/platforms/{name}/run_command}, as the earlier testum took it. */
    public record Command(String command, Integer timeout) {
    }
}

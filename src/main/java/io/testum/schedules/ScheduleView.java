package io.testum.schedules;

import java.time.Instant;
import java.util.List;

import io.testum.runs.RunRequest;

/**
 * A schedule as the API answers it; {@code env} lists the variable names only.
 *
 * @param nextFireAt the next due time ({@code null} once the expression never fires again)
 * @param lastError why the last firing started no run (e.g. its targets no longer exist), or null
 */
public record ScheduleView(String name, String cron, String timezone, String command, String script, String interpreter,
        List<String> args, List<String> env, RunRequest.Targets targets, Integer timeoutSeconds, Integer concurrency,
        Integer maxFailures, String misfire, boolean enabled, Instant nextFireAt, Instant lastFiredAt, String lastError,
        String source) {
}

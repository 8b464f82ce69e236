package io.testum.schedules;

import java.util.List;
import java.util.Map;

import io.testum.runs.RunRequest;

/**
 * {@code POST /api/schedules} and {@code PUT /api/schedules/{name}}: when and what to run. The run
 * fields are those of {@code POST /api/runs}. On an update, an absent {@code env} keeps the stored
 * values (they are never shown), {@code {}} removes them.
 */
public record ScheduleRequest(String name, String cron, String timezone, String command, String script, String interpreter,
        List<String> args, Map<String, String> env, RunRequest.Targets targets, Integer timeoutSeconds, Integer concurrency,
        Integer maxFailures, String misfire, Boolean enabled) {

    @Override
    public String toString() {
        return "ScheduleRequest[name=" + name + ", cron=" + cron + ", env=" + (env == null ? null : env.keySet()) + "]";
    }
}

package io.testum.gitops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.testum.gitops.DesiredDocument.ScheduleEntry;
import io.testum.gitops.DesiredDocument.Where;
import io.testum.runs.RunRequest;
import io.testum.common.Violations;
import io.testum.schedules.ScheduleChecks;
import io.testum.schedules.ScheduleRequest;

/**
 * An entry of {@code schedules}: a run that fires on its own. When it fires (cron, time zone,
 * misfire) is checked as it is read; what it runs is checked by the planner with the configured
 * limits of a run, by the API's rules. A Git-managed schedule has no {@code env}: its values would sit in the
 * repository in the clear, and a schedule that needs secrets is made through the API.
 */
final class ScheduleSection {

    static final String TARGETS = "targets";
    static final List<String> FIELDS = List.of("name", "cron", "timezone", "command", "script", "interpreter", "args",
            TARGETS, "timeout_seconds", "concurrency", "max_failures", "misfire", "enabled");
    static final List<String> TARGET_FIELDS = List.of("platforms", "selector");

    private ScheduleSection() {
    }

    static ScheduleEntry read(Fields fields) {
        fields.rejectUnknown(FIELDS, Map.of("env", "is not read from Git, where its values would be in the clear; "
                + "make a schedule that needs an environment through the API (POST /api/schedules)"));
        Fields targets = fields.nested(TARGETS, "targets (platforms: [web-01], selector: {env: prod})");
        RunRequest.Targets runTargets = null;
        Map<String, DesiredDocument.Location> targetPlaces = Map.of();
        if (targets != null) {
            targets.rejectUnknown(TARGET_FIELDS);
            List<String> platforms = targets.list("platforms", "platform names, e.g. [web-01, web-02]");
            Map<String, String> selector = targets.map("selector", "label keys to values that platforms must all carry, e.g. {env: prod}");
            runTargets = new RunRequest.Targets(platforms.isEmpty() ? null : platforms, selector.isEmpty() ? null : selector);
            targetPlaces = targets.where().fields();
        }
        List<String> args = fields.has("args") ? fields.list("args", "arguments of the script, e.g. [--verbose]") : null;
        ScheduleRequest request = new ScheduleRequest(fields.text("name"), fields.text("cron"), fields.text("timezone"),
                fields.text("command"), fields.text("script"), fields.text("interpreter"), args, null, runTargets,
                fields.integer("timeout_seconds"), fields.integer("concurrency"), fields.integer("max_failures"),
                fields.text("misfire"), fields.bool("enabled"));
        Violations violations = new Violations();
        ScheduleChecks.checkWhen(request, violations);
        fields.report(violations);
        Where where = fields.where();
        Map<String, DesiredDocument.Location> places = new LinkedHashMap<>(where.fields());
        targetPlaces.forEach((field, at) -> places.put(TARGETS + "." + field, at));
        return new ScheduleEntry(request, new Where(where.entry(), Map.copyOf(places)));
    }
}

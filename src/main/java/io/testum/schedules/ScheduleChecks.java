package io.testum.schedules;

import java.time.DateTimeException;
import java.time.ZoneId;

import jakarta.enterprise.context.ApplicationScoped;

import io.testum.common.Violations;
import io.testum.runs.RunService;

/**
 * The rules of a schedule, wherever it comes from (the API or a GitOps document): a cron
 * expression of five fields in a known time zone, a misfire policy, and a run that
 * {@code POST /api/runs} would take, within the same limits.
 */
@ApplicationScoped
public class ScheduleChecks {

    /** The time zone of a schedule that names none. */
    public static final String DEFAULT_TIMEZONE = "UTC";

    private final RunService runs;

    ScheduleChecks(RunService runs) {
        this.runs = runs;
    }

    /** Adds every problem of {@code r} to {@code v}, by field ({@code cron}, {@code targets}, {@code script}, ...). */
    public void check(ScheduleRequest r, Violations v) {
        checkWhen(r, v);
        runs.check(ScheduleService.run(r, r.env()), v);
    }

    /**
     * The problems of when {@code r} fires ({@code cron}, {@code timezone}, {@code misfire}), which no
     * configuration changes: a GitOps document is checked for them as it is read.
     */
    public static void checkWhen(ScheduleRequest r, Violations v) {
        ZoneId zone = zone(r);
        if (zone == null) {
            v.add("timezone", "'" + timezone(r) + "' is not a time zone; use a region such as Europe/Berlin, or UTC");
        }
        try {
            Cron.parse(r.cron(), zone == null ? ZoneId.of(DEFAULT_TIMEZONE) : zone);
        } catch (Cron.InvalidCronException e) {
            v.add("cron", e.getMessage());
        }
        v.check(r.misfire() == null || Misfire.of(r.misfire()) != null, "misfire", "must be skip or run-once");
    }

    /** The time zone as written, or {@value #DEFAULT_TIMEZONE}. */
    static String timezone(ScheduleRequest r) {
        return r.timezone() == null || r.timezone().isBlank() ? DEFAULT_TIMEZONE : r.timezone().strip();
    }

    /** The request's time zone, or null when it names none that exists. */
    static ZoneId zone(ScheduleRequest r) {
        try {
            return ZoneId.of(timezone(r));
        } catch (DateTimeException e) {
            return null;
        }
    }
}

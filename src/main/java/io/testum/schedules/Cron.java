package io.testum.schedules;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

/**
 * A five-field cron expression (minute, hour, day of month, month, day of week, as crontab(5)
 * has them) in a time zone. The one wrapper of cron-utils.
 */
public final class Cron {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime times;

    private Cron(String expression, ZoneId zone, ExecutionTime times) {
        this.expression = expression;
        this.zone = zone;
        this.times = times;
    }

    /** Thrown for an expression that is not five valid fields. */
    public static final class InvalidCronException extends IllegalArgumentException {
        InvalidCronException(String message) {
            super(message);
        }
    }

    /** Parses {@code expression} for {@code zone}; an invalid one throws {@link InvalidCronException} saying why. */
    public static Cron parse(String expression, ZoneId zone) {
        if (expression == null || expression.isBlank()) {
            throw new InvalidCronException("is required: five fields, e.g. \"0 3 * * *\"");
        }
        String trimmed = expression.strip();
        if (trimmed.split("\\s+").length != 5) {
            throw new InvalidCronException("must have five fields (minute hour day-of-month month day-of-week), e.g. \"0 3 * * *\"");
        }
        try {
            return new Cron(trimmed, zone, ExecutionTime.forCron(PARSER.parse(trimmed).validate()));
        } catch (IllegalArgumentException e) {
            throw new InvalidCronException("is not a valid cron expression: " + e.getMessage());
        }
    }

    /** The first due time strictly after {@code after}, if the expression ever fires again. */
    public Optional<Instant> next(Instant after) {
        return times.nextExecution(ZonedDateTime.ofInstant(after, zone)).map(ZonedDateTime::toInstant);
    }

    /** The last due time at or before {@code at}, if any. */
    public Optional<Instant> latest(Instant at) {
        ZonedDateTime t = ZonedDateTime.ofInstant(at, zone);
        if (t.getSecond() == 0 && t.getNano() == 0 && times.isMatch(t)) {
            return Optional.of(at);
        }
        return times.lastExecution(t).map(ZonedDateTime::toInstant);
    }

    @Override
    public String toString() {
        return expression + " (" + zone + ")";
    }
}

package io.testum.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Something that happened and may be alerted, fired as a CDI event by the feature where it happened
 * once its change is stored. Publishers fire it for each observed state; the alerts decide whether
 * it is a change (see {@link AlertEvent}).
 *
 * @param subject   what it is about, stable across checks: {@code deployment:<platform>:<account>},
 *                  {@code source:<name>}, {@code run:<id>}, {@code unmanaged:<platform>:<account>}
 * @param platforms the platforms it concerns (an alert's selector is matched against their labels);
 *                  empty for events about no platform (a source), which every selector lets through
 * @param message   one line for people; never a secret
 * @param details   more fields for the JSON body (strings, numbers, booleans, lists of them)
 */
public record Occurrence(AlertEvent event, String subject, List<String> platforms, String message, Map<String, Object> details,
        Instant at) {

    public Occurrence {
        platforms = platforms == null ? List.of() : List.copyOf(platforms);
        details = details == null ? Map.of() : Map.copyOf(details);
        at = at == null ? Instant.now() : at;
    }

    public static Occurrence of(AlertEvent event, String subject, List<String> platforms, String message,
            Map<String, Object> details) {
        return new Occurrence(event, subject, platforms, message, details, Instant.now());
    }
}

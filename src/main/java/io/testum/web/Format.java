package io.testum.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.quarkus.qute.TemplateExtension;
import io.testum.deploy.DeploymentStatus;
import io.testum.gitops.RunResult;
import io.testum.inventory.Reachability;
import io.testum.runs.RunStatus;

/** How pages write times, revisions, sizes and the colour of a status: {@code fmt:time(x)} in templates; null-safe. */
@TemplateExtension(namespace = "fmt")
public final class Format {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Format() {
    }

    /** {@code 2026-11-05 14:03:22 UTC}, or an empty string for no time. */
    public static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    /**
     * A time a page shows as a {@code <time>} ({@code tags/time.html}): an {@link Instant}, an
     * {@link java.time.OffsetDateTime}, or its ISO-8601 text as the API maps carry it; null otherwise.
     */
    static Instant instant(Object time) {
        return switch (time) {
            case null -> null;
            case Instant i -> i;
            case java.time.OffsetDateTime o -> o.toInstant();
            case java.time.ZonedDateTime z -> z.toInstant();
            case String text when !text.isBlank() -> {
                try {
                    yield java.time.OffsetDateTime.parse(text).toInstant();
                } catch (java.time.format.DateTimeParseException e) {
                    yield null;
                }
            }
            default -> null;
        };
    }

    /** The machine-readable value of a {@code <time datetime>}: {@code 2026-11-05T14:03:22Z}. */
    public static String iso(Object time) {
        Instant at = instant(time);
        return at == null ? "" : java.time.format.DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    /** The exact time, as the title of a relative one: {@code 2026-11-05 14:03:22 UTC}; the text itself if it is no time. */
    public static String exact(Object time) {
        Instant at = instant(time);
        return at == null ? time == null ? "" : time.toString() : TIME.format(at);
    }

    /** {@code 3 min ago} / {@code 3 мин назад} in the page's language ({@link RelativeTime}); the text itself if it is no time. */
    public static String ago(Object time, String language) {
        Instant at = instant(time);
        return at == null ? time == null ? "" : time.toString() : RelativeTime.of(at, Instant.now(), language);
    }

    /** The first 12 characters of a commit SHA. */
    public static String rev(String revision) {
        return revision == null ? "" : revision.length() > 12 ? revision.substring(0, 12) : revision;
    }

    /** 1536 → {@code 1.5 KiB}. */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** The badge colour of a status, or of another word a badge shows: ok, info, warn, bad, or none. */
    public static String tone(Object status) {
        return switch (status) {
            case null -> "";
            case DeploymentStatus d -> switch (d) {
                case IN_SYNC -> "ok";
                case PENDING -> "info";
                case DRIFTED -> "warn";
                case FAILED, UNREACHABLE, HOST_KEY_MISMATCH -> "bad";
            };
            case Reachability r -> switch (r) {
                case REACHABLE -> "ok";
                case UNKNOWN -> "warn";
                case UNREACHABLE -> "bad";
            };
            case RunStatus s -> switch (s) {
                case SUCCEEDED -> "ok";
                case QUEUED, RUNNING -> "info";
                case CANCELED -> "warn";
                case FAILED, TIMED_OUT -> "bad";
            };
            case RunResult.Result r -> switch (r) {
                case APPLIED -> "ok";
                case UNCHANGED -> "info";
                case STALLED, FAILED -> "bad";
                case WAITING, SKIPPED -> "";
            };
            default -> word(String.valueOf(status));
        };
    }

    /** {@code text} as one URL query value ({@code SHA256:a+b/c} → {@code SHA256%3Aa%2Bb%2Fc}). */
    public static String url(String text) {
        return text == null ? "" : java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The state of a run or host as a run view carries it ({@code queued}, ...), typed. */
    public static RunStatus run(String status) {
        return RunStatus.of(status);
    }

    private static String word(String status) {
        return switch (status) {
            case "ready", "success", "enabled", "delivered" -> "ok";
            case "pending", "api", "testum_login" -> "info";
            case "suspended", "expired", "revoked", "disabled", "unknown", "no_from" -> "warn";
            case "denied", "failure", "not_ready", "weak", "failed" -> "bad";
            default -> "";
        };
    }
}

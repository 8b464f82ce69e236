package io.testum.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.quarkus.qute.TemplateExtension;

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

    /** The badge colour of a status word: ok, info, warn, bad, or none. */
    public static String tone(String status) {
        if (status == null) {
            return "";
        }
        return switch (status) {
            case "in_sync", "succeeded", "reachable", "ready", "success", "applied", "enabled" -> "ok";
            case "running", "queued", "pending", "api", "unchanged" -> "info";
            case "drifted", "canceled", "unknown", "suspended", "expired", "revoked", "disabled" -> "warn";
            case "failed", "unreachable", "host_key_mismatch", "timed_out", "denied", "failure", "not_ready", "stalled" -> "bad";
            default -> "";
        };
    }
}

package io.testum.deploy;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a source's {@code settings.unmanaged} asks for keys outside the managed block (merge mode).
 * Every mode records them at every read; none removes anything but {@link #REMOVE}.
 */
public enum UnmanagedMode {
    /** Leave them as they are (today's merge behaviour); record them. */
    KEEP,
    /** Leave them; record them, and log and audit each one the first time it is seen. */
    REPORT,
    /** Remove them at the next deployment or drift repair; never testum's own login key, never the block. */
    REMOVE;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static UnmanagedMode of(String wire) {
        return wire == null ? KEEP : valueOf(wire.toUpperCase(Locale.ROOT));
    }
}

package io.testum.schedules;

import java.util.Arrays;

/** What a schedule does with firings missed while no leader ran it. */
public enum Misfire {
    /** Drop them; the next due time is the next after now. */
    SKIP("skip"),
    /** Run once, for the latest missed due time, however many were missed. */
    RUN_ONCE("run-once");

    private final String wire;

    Misfire(String wire) {
        this.wire = wire;
    }

    /** The word the API and the database use. */
    public String wire() {
        return wire;
    }

    /** The misfire named {@code wire}, or {@code null} when it names none. */
    static Misfire of(String wire) {
        return Arrays.stream(values()).filter(m -> m.wire.equals(wire)).findFirst().orElse(null);
    }
}

package io.testum.runs;

import java.util.Locale;

/** The state of a run, and of each host in it. */
public enum RunStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELED, TIMED_OUT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean finished() {
        return this != QUEUED && this != RUNNING;
    }

    public static RunStatus of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}

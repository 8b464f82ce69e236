package io.testum.runs;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The state of a run, and of each host in it. */
public enum RunStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELED, TIMED_OUT;

    /** The word the API, the database ({@code runs.status}, {@code run_hosts.status}) and the UI use. */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean finished() {
        return this != QUEUED && this != RUNNING;
    }

    @JsonCreator
    public static RunStatus of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}

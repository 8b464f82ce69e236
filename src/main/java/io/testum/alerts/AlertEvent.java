package io.testum.alerts;

import java.util.Arrays;
import java.util.List;

/**
 * What an alert may be sent for: the one place each event is mapped to its word in the API, the
 * database and the bodies sent. A state event (a deployment or source that enters a bad state, or
 * leaves it) is sent once per change of its subject's state; a one-off event (a run that failed,
 * keys that appeared) once per occurrence.
 */
public enum AlertEvent {
    /** A GitOps source stopped applying: its revision is invalid, or fetching or applying fails. */
    SOURCE_STALLED("source.stalled", false),
    /** A stalled source applied a revision again. */
    SOURCE_RECOVERED("source.recovered", false),
    /** A (platform, account) deployment failed. */
    DEPLOYMENT_FAILED("deployment.failed", false),
    /** The host's managed block differs from the deployed one. */
    DEPLOYMENT_DRIFTED("deployment.drifted", false),
    /** The host could not be reached. */
    DEPLOYMENT_UNREACHABLE("deployment.unreachable", false),
    /** The host presented another host key than the pinned one. */
    DEPLOYMENT_HOST_KEY_MISMATCH("deployment.host_key_mismatch", false),
    /** A deployment that was failed, drifted, unreachable or mismatched is in sync again. */
    DEPLOYMENT_RECOVERED("deployment.recovered", false),
    /** Keys outside the managed block that testum had not seen before were found on a host. */
    UNMANAGED_KEYS_APPEARED("unmanaged_keys.appeared", true),
    /** A run (not started by a schedule) ended failed or timed out. */
    RUN_FAILED("run.failed", true),
    /** A run started by a schedule ended failed or timed out, or a firing could start no run. */
    SCHEDULE_FAILED("schedule.failed", true);

    private final String wire;
    private final boolean oneOff;

    AlertEvent(String wire, boolean oneOff) {
        this.wire = wire;
        this.oneOff = oneOff;
    }

    /** The word the API, the database and the bodies use. */
    public String wire() {
        return wire;
    }

    /** Whether each occurrence is sent (rather than each change of its subject's state). */
    boolean oneOff() {
        return oneOff;
    }

    /** Whether this event says that its subject is fine again. */
    boolean recovery() {
        return this == SOURCE_RECOVERED || this == DEPLOYMENT_RECOVERED;
    }

    /** The event named {@code wire}, or {@code null} when it names none. */
    static AlertEvent of(String wire) {
        return Arrays.stream(values()).filter(e -> e.wire.equals(wire)).findFirst().orElse(null);
    }

    /** Every word, in declaration order (for errors). */
    static List<String> words() {
        return Arrays.stream(values()).map(AlertEvent::wire).toList();
    }
}

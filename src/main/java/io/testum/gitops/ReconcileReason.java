package io.testum.gitops;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why a source's status is what it is, as its {@code reason} says (SPEC §4): the one place each
 * reason is mapped to its word in the API, the database ({@code gitops_sources.reason},
 * {@code reconcile_runs.reason}) and the UI.
 */
public enum ReconcileReason {
    /** No run has ended yet (a new source). */
    PENDING("Pending"),
    /** The revision is applied. */
    SUCCEEDED("Succeeded"),
    /** The fetched revision is the applied one and nothing is pending. */
    UP_TO_DATE("UpToDate"),
    /** The document, or the plan made from it, has problems: the source stalls until a new revision. */
    VALIDATION_FAILED("ValidationFailed"),
    /** The repository could not be fetched: retried with backoff. */
    FETCH_FAILED("FetchFailed"),
    /** Anything else went wrong: retried with backoff. */
    RECONCILE_FAILED("ReconcileFailed"),
    /** Another run of the source is under way. */
    IN_PROGRESS("InProgress");

    private final String wire;

    ReconcileReason(String wire) {
        this.wire = wire;
    }

    /** The word the API, the database and the UI use. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** The reason a stored or sent word stands for; null for null. */
    @JsonCreator
    public static ReconcileReason of(String wire) {
        if (wire == null) {
            return null;
        }
        for (ReconcileReason reason : values()) {
            if (reason.wire.equals(wire)) {
                return reason;
            }
        }
        throw new IllegalArgumentException("'" + wire + "' is not a reconcile reason");
    }

    /** {@link #wire()} of a reason that may be null. */
    public static String wireOf(ReconcileReason reason) {
        return reason == null ? null : reason.wire;
    }
}

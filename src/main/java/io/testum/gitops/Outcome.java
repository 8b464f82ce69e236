package io.testum.gitops;

import java.util.List;

import io.testum.common.FieldError;

/**
 * How a reconcile ends, typed as in Flux's controllers. A step that says stop returns one of
 * these; a run whose every step went on ends {@link Applied}.
 */
sealed interface Outcome {

    /** The revision is applied (its plan may change nothing). */
    record Applied(Plan plan) implements Outcome {
    }

    /**
     * Nothing to do: the revision is the applied one, or the invalid one already reported. Ends the
     * run early, writing nothing but the next attempt.
     */
    record NothingToDo(RunResult.Result result, ReconcileReason reason, String message) implements Outcome {
    }

    /** The document or its plan is invalid: nothing changes, and the same revision is not tried again. */
    record Stalled(List<FieldError> errors, Plan plan) implements Outcome {
        public Stalled {
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("a stalled run says why");
            }
            errors = List.copyOf(errors);
        }
    }

    /** Something outside testum is not there yet (the repository could not be fetched): retried with backoff. */
    record Waiting(String message) implements Outcome {
    }

    /** Anything else: recorded in the status and retried with backoff. */
    record Generic(String message) implements Outcome {
    }
}

package io.testum.gitops;

import java.util.Optional;

/**
 * One named step of a reconcile (fetch, parse, plan, apply, deploy). Blocking: runs on the
 * reconcile's worker thread.
 */
interface ReconcileStep {

    /** The step's name, for logs and timings. */
    String name();

    /**
     * Does the step's part of {@code run}, recording what later steps need in it.
     *
     * @return empty to go on with the next step, or the outcome the run stops with
     */
    Optional<Outcome> run(ReconcileRun run);
}

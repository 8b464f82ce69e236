package io.testum.gitops;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Plans the document against the inventory, under the apply lock, without writing: a plan with
 * errors (an ownership clash, a reference to nothing, an emptying revision, ...) stalls.
 */
@ApplicationScoped
class PlanStep implements ReconcileStep {

    private final InventoryStore store;

    PlanStep(InventoryStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "plan";
    }

    @Override
    public Optional<Outcome> run(ReconcileRun run) {
        Planner.Result planned = store.planAndApply(run.document(), run.name(), run.revision(), true)
                .await().atMost(Reconciler.WAIT);
        run.planned(planned);
        return stalledBy(planned);
    }

    /** The stalled outcome of a plan with errors; empty for a plan that can be applied. */
    static Optional<Outcome> stalledBy(Planner.Result planned) {
        return planned.errors().isEmpty() ? Optional.empty() : Optional.of(new Outcome.Stalled(planned.errors(), planned.plan()));
    }
}

package io.testum.gitops;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.testum.db.DatabaseConfig;

/**
 * Plans the document against the inventory, under the apply lock, without writing: a plan with
 * errors (an ownership clash, a reference to nothing, an emptying revision, ...) stalls.
 */
@ApplicationScoped
class PlanStep implements ReconcileStep {

    private final InventoryStore store;
    private final Duration databaseWait;

    PlanStep(InventoryStore store, DatabaseConfig database) {
        this.store = store;
        this.databaseWait = database.waitTimeout();
    }

    @Override
    public String name() {
        return "plan";
    }

    @Override
    public Optional<Outcome> run(ReconcileRun run) {
        Planner.Result planned = store.planAndApply(run.document(), run.name(), run.revision(), true)
                .await().atMost(databaseWait);
        run.planned(planned);
        return stalledBy(planned);
    }

    /** The stalled outcome of a plan with errors; empty for a plan that can be applied. */
    static Optional<Outcome> stalledBy(Planner.Result planned) {
        return planned.errors().isEmpty() ? Optional.empty() : Optional.of(new Outcome.Stalled(planned.errors(), planned.plan()));
    }
}

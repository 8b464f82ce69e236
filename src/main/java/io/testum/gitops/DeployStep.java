package io.testum.gitops;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import io.testum.inventory.InventoryChanged;

/**
 * Announces that the applied plan changed the inventory, naming the source and revision as the
 * cause: deployment observes it, deploys the blocks that changed and keeps the cause with them in
 * the access history. A plan that changed nothing announces nothing. The apply has committed by now.
 */
@ApplicationScoped
class DeployStep implements ReconcileStep {

    private final Event<InventoryChanged> changes;

    DeployStep(Event<InventoryChanged> changes) {
        this.changes = changes;
    }

    @Override
    public String name() {
        return "deploy";
    }

    @Override
    public Optional<Outcome> run(ReconcileRun run) {
        if (run.plan().changes()) {
            changes.fire(InventoryChanged.everything(InventoryChanged.Cause.gitops(run.name(), run.revision())));
        }
        return Optional.empty();
    }
}

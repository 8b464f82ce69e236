package io.testum.gitops;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.testum.deploy.DeploymentService;

/** Queues the deployment of the blocks the applied plan changed; a plan that changed nothing deploys nothing. */
@ApplicationScoped
class DeployStep implements ReconcileStep {

    private final DeploymentService deployments;

    DeployStep(DeploymentService deployments) {
        this.deployments = deployments;
    }

    @Override
    public String name() {
        return "deploy";
    }

    @Override
    public Optional<Outcome> run(ReconcileRun run) {
        if (run.plan().changes()) {
            deployments.inventoryChanged();
        }
        return Optional.empty();
    }
}

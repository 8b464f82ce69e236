package io.testum.gitops;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.testum.audit.AuditEntry;
import io.testum.audit.AuditLog;
import io.testum.db.DatabaseConfig;

/**
 * Applies the plan in one transaction under the apply lock, planning again there, so that what is
 * written is planned from what is committed once no other apply can run (a plan that gained errors
 * meanwhile stalls, nothing written). A plan that changes nothing writes no inventory. Then records
 * the document's drift setting and the apply in the audit log.
 */
@ApplicationScoped
class ApplyStep implements ReconcileStep {

    private final InventoryStore store;
    private final SourceRepository sources;
    private final AuditLog audit;
    private final Duration databaseWait;

    ApplyStep(InventoryStore store, SourceRepository sources, AuditLog audit, DatabaseConfig database) {
        this.store = store;
        this.sources = sources;
        this.audit = audit;
        this.databaseWait = database.waitTimeout();
    }

    @Override
    public String name() {
        return "apply";
    }

    @Override
    public Optional<Outcome> run(ReconcileRun run) {
        if (!run.planned().changes().isEmpty()) {
            Planner.Result applied = store.planAndApply(run.document(), run.name(), run.revision(), false)
                    .await().atMost(databaseWait);
            run.planned(applied);
            Optional<Outcome> stalled = PlanStep.stalledBy(applied);
            if (stalled.isPresent()) {
                return stalled;
            }
        }
        sources.saveSettings(run.name(), run.document().settings()).await().atMost(databaseWait);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("revision", run.revision());
        details.put("trigger", run.trigger());
        details.put("plan", run.plan().toMap());
        audit.record(new AuditEntry(null, null, "gitops:" + run.name(), "gitops.apply", run.name(),
                "success", null, details)).await().atMost(databaseWait);
        return Optional.empty();
    }
}

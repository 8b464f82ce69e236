package io.testum.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.testum.alerts.AlertEvent;
import io.testum.alerts.Occurrence;
import io.testum.audit.AuditEntry;
import io.testum.audit.AuditLog;

/**
 * Stores what each read found outside the managed blocks, after every deployment and drift check.
 * With {@code settings.unmanaged: report}, each key seen for the first time is also logged and
 * written to the audit log ({@code deployment.unmanaged_key}, with its fingerprint, type, size and
 * whether it is weak; never the line itself).
 */
@ApplicationScoped
public class UnmanagedKeyRecorder {

    private static final Logger LOG = Logger.getLogger(UnmanagedKeyRecorder.class);

    private final UnmanagedKeyRepository repository;
    private final AuditLog audit;

    private final Event<Occurrence> alerts;

    public UnmanagedKeyRecorder(UnmanagedKeyRepository repository, AuditLog audit, Event<Occurrence> alerts) {
        this.repository = repository;
        this.audit = audit;
        this.alerts = alerts;
    }

    public Uni<Void> record(String platform, UnmanagedMode mode, List<DeploymentRepository.Outcome> outcomes) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (DeploymentRepository.Outcome outcome : outcomes) {
            UnmanagedKeys.Scan scan = outcome.unmanaged();
            if (scan == null) {
                continue;
            }
            chain = chain.flatMap(x -> repository.record(outcome.pair().platformId(), platform, outcome.pair().account(), scan))
                    .invoke(added -> announce(platform, outcome.pair().account(), added))
                    .flatMap(added -> mode == UnmanagedMode.REPORT ? report(platform, outcome.pair().account(), scan, added)
                            : Uni.createFrom().voidItem());
        }
        return chain;
    }

    /** Tells the alerts about keys seen for the first time outside the block (their fingerprints, never the lines). */
    private void announce(String platform, String account, List<String> added) {
        if (added.isEmpty()) {
            return;
        }
        alerts.fire(Occurrence.of(AlertEvent.UNMANAGED_KEYS_APPEARED, "unmanaged:" + platform + ":" + account, List.of(platform),
                added.size() + " key(s) outside testum's block can log in to " + platform + " as " + account,
                Map.of("platform", platform, "user", account, "fingerprints", List.copyOf(added))));
    }

    private Uni<Void> report(String platform, String account, UnmanagedKeys.Scan scan, List<String> added) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (UnmanagedKeys.Found found : scan.keys()) {
            if (!added.contains(found.key().fingerprint())) {
                continue;
            }
            LOG.warnf("A key outside testum's block can log in to %s as %s: %s %d %s%s", platform, account, found.key().type(),
                    found.key().bits(), found.key().fingerprint(), found.weak() ? " (weak)" : "");
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("user", account);
            details.put("fingerprint", found.key().fingerprint());
            details.put("type", found.key().type());
            details.put("bits", found.key().bits());
            details.put("weak", found.weak());
            chain = chain.flatMap(x -> audit.record(new AuditEntry(null, null, "system", "deployment.unmanaged_key", platform,
                    "success", null, details)));
        }
        return chain;
    }
}

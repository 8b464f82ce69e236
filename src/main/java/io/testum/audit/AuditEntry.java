package io.testum.audit;

import java.time.Instant;
import java.util.Map;

/**
 * One row of the audit log.
 *
 * @param outcome {@code success}, {@code failure} or {@code denied}
 * @param details what else matters (HTTP status, error), never secrets
 */
public record AuditEntry(Long id, Instant at, String actor, String action, String target, String outcome,
        String clientAddress, Map<String, Object> details) {
}

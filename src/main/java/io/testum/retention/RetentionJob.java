package io.testum.retention;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.testum.audit.AuditLog;
import io.testum.auth.LoginThrottle;
import io.testum.auth.SessionService;
import io.testum.cluster.Leadership;
import io.testum.db.DatabaseConfig;
import io.testum.deploy.AccessHistory;
import io.testum.runs.RunService;

/**
 * Removes, on the leader every {@code testum.retention.interval}, what is past its retention:
 * finished runs (with their results and events), ended sessions, stale login throttle counters,
 * audit entries older than the audit retention (at least 30 days; the pruning is itself
 * audited), and access history intervals that ended before the access history retention (kept
 * forever by default).
 */
@ApplicationScoped
public class RetentionJob {

    private static final Logger LOG = Logger.getLogger(RetentionJob.class);
    /** The database refuses to prune audit entries younger than this. */
    static final Duration AUDIT_FLOOR = Duration.ofDays(30);

    private final RetentionConfig config;
    private final RunService runs;
    private final SessionService sessions;
    private final LoginThrottle throttle;
    private final AuditLog audit;
    private final AccessHistory history;
    private final Leadership leadership;
    private final Duration databaseWait;

    public RetentionJob(RetentionConfig config, RunService runs, SessionService sessions, LoginThrottle throttle,
            AuditLog audit, AccessHistory history, Leadership leadership, DatabaseConfig database) {
        this.history = history;
        this.config = config;
        this.runs = runs;
        this.sessions = sessions;
        this.throttle = throttle;
        this.audit = audit;
        this.leadership = leadership;
        this.databaseWait = database.waitTimeout();
    }

    /** What one pass removed. */
    public record Removed(long runs, long sessions, long throttle, long audit, long accessHistory) {
    }

    void checkAtStart(@Observes StartupEvent event) {
        Duration auditAge = config.audit();
        if (!auditAge.isZero() && auditAge.compareTo(AUDIT_FLOOR) < 0) {
            throw new IllegalArgumentException("testum.retention.audit is " + auditAge + "; the audit log keeps at least "
                    + AUDIT_FLOOR.toDays() + " days (0s keeps it forever)");
        }
    }

    @Scheduled(every = "${testum.retention.interval:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!leadership.isLeader()) {
            return;
        }
        try {
            Removed removed = prune(Instant.now());
            if (removed.runs() + removed.sessions() + removed.throttle() + removed.audit() + removed.accessHistory() > 0) {
                LOG.infof("Retention removed %d run(s), %d session(s), %d throttle counter(s), %d audit entr(ies), "
                        + "%d access history interval(s)", removed.runs(), removed.sessions(), removed.throttle(),
                        removed.audit(), removed.accessHistory());
            }
        } catch (RuntimeException e) {
            LOG.warnf("Retention failed; the next pass retries: %s", e.getMessage());
        }
    }

    /** Removes, as of {@code now}, everything past its retention. Blocking. */
    public Removed prune(Instant now) {
        long runs = 0;
        if (!config.runs().isZero()) {
            Instant before = now.minus(config.runs());
            for (int batch; (batch = this.runs.deleteFinishedBefore(before).await().atMost(databaseWait)) > 0; ) {
                runs += batch;
            }
        }
        long sessions = config.sessions().isZero() ? 0
                : this.sessions.deleteEndedBefore(now.minus(config.sessions())).await().atMost(databaseWait);
        long throttle = config.loginThrottle().isZero() ? 0
                : this.throttle.deleteBefore(now.minus(config.loginThrottle())).await().atMost(databaseWait);
        long entries = config.audit().isZero() ? 0 : audit.prune(now.minus(config.audit())).await().atMost(databaseWait);
        long intervals = config.accessHistory().isZero() ? 0
                : history.deleteEndedBefore(now.minus(config.accessHistory())).await().atMost(databaseWait);
        return new Removed(runs, sessions, throttle, entries, intervals);
    }
}

package io.testum.schedules;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.testum.alerts.AlertEvent;
import io.testum.alerts.Occurrence;
import io.testum.cluster.Leadership;
import io.testum.common.ProblemException;
import io.testum.db.DatabaseConfig;
import io.testum.runs.RunRequest;
import io.testum.runs.RunService;
import io.testum.runs.RunViews;
import io.testum.runs.SealedEnv;
import io.testum.secrets.SecretCipher;

/**
 * Fires due schedules, on the leader only. A firing is one run per (schedule, due time): the
 * database refuses a second one, so a replica that took over, or this one after a restart, never
 * fires the same due time twice. A due time further back than {@code testum.schedules.misfire-grace}
 * was missed: {@code skip} drops it, {@code run-once} runs once for the latest missed time.
 */
@ApplicationScoped
public class ScheduleFirer {

    private static final Logger LOG = Logger.getLogger(ScheduleFirer.class);

    private final ScheduleRepository schedules;
    private final RunService runs;
    private final Leadership leadership;
    private final SecretCipher cipher;
    private final Duration grace;
    private final Duration databaseWait;
    private final Event<Occurrence> alerts;

    ScheduleFirer(ScheduleRepository schedules, RunService runs, Leadership leadership, SecretCipher cipher,
            SchedulesConfig config, DatabaseConfig database, Event<Occurrence> alerts) {
        this.alerts = alerts;
        this.schedules = schedules;
        this.runs = runs;
        this.leadership = leadership;
        this.cipher = cipher;
        this.grace = config.misfireGrace();
        this.databaseWait = database.waitTimeout();
    }

    @Scheduled(every = "${testum.schedules.poll:15s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        if (leadership.isLeader()) {
            tick(Instant.now());
        }
    }

    /** Fires every enabled schedule due at {@code now}; answers how many runs it started. */
    public int tick(Instant now) {
        int started = 0;
        for (ScheduleRepository.Stored s : schedules.due(now).await().atMost(databaseWait)) {
            try {
                started += fire(s, now) ? 1 : 0;
            } catch (RuntimeException e) {
                LOG.errorf(e, "Schedule %s: firing failed; the next look tries again", s.view().name());
            }
        }
        return started;
    }

    private boolean fire(ScheduleRepository.Stored stored, Instant now) {
        ScheduleView s = stored.view();
        Cron cron = Cron.parse(s.cron(), ZoneId.of(s.timezone()));
        Instant due = s.nextFireAt();
        boolean missed = due.isBefore(now.minus(grace));
        Instant fireFor = !missed ? due : Misfire.of(s.misfire()) == Misfire.RUN_ONCE ? cron.latest(now).orElse(due) : null;
        String error = null;
        RunViews.Submitted run = null;
        if (fireFor == null) {
            LOG.infof("Schedule %s: the firing due at %s was missed (misfire: skip)", s.name(), due);
        } else {
            try {
                run = runs.submitScheduled(request(stored), s.name(), fireFor).await().atMost(databaseWait);
                if (run != null) {
                    LOG.infof("Schedule %s: run %s for %s%s", s.name(), run.id(), fireFor, missed ? " (missed, misfire: run-once)" : "");
                }
            } catch (ProblemException e) {
                error = e.getMessage();
                LOG.warnf("Schedule %s: the firing due at %s started no run: %s", s.name(), fireFor, error);
                alerts.fire(Occurrence.of(AlertEvent.SCHEDULE_FAILED, "schedule:" + s.name() + ":" + fireFor, List.of(),
                        "Schedule '" + s.name() + "': the firing due at " + fireFor + " started no run: " + error,
                        Map.of("schedule", s.name(), "due_at", fireFor.toString())));
            }
        }
        Instant next = cron.next(now).orElse(null);
        schedules.advance(s.name(), due, next, fireFor, error).await().atMost(databaseWait);
        return run != null;
    }

    private RunRequest request(ScheduleRepository.Stored stored) {
        ScheduleView s = stored.view();
        Map<String, String> env = SealedEnv.open(cipher, stored.envSealed(), ScheduleService.envPurpose(s.name()));
        boolean script = s.script() != null;
        return new RunRequest(script ? null : s.command(), s.script(), script ? s.interpreter() : null, script ? s.args() : null,
                script ? env : null, s.targets(), s.timeoutSeconds(), s.concurrency(), s.maxFailures());
    }
}

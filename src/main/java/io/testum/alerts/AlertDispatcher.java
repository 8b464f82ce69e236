package io.testum.alerts;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.testum.db.DatabaseConfig;
import io.testum.inventory.Labels;
import io.testum.inventory.PlatformDirectory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Turns each {@link Occurrence} into deliveries: in the order they were fired, off the publisher's
 * thread, it decides whether the occurrence changes its subject's state, picks the enabled alerts
 * that lack nothing to send, whose {@code events} name it and whose {@code selector} matches one of its platforms' labels (an
 * occurrence about no platform passes every selector), and queues one delivery for each. The
 * sending is {@link AlertSender}'s.
 */
@ApplicationScoped
public class AlertDispatcher {

    private static final Logger LOG = Logger.getLogger(AlertDispatcher.class);

    private final AlertRepository alerts;
    private final PlatformDirectory platforms;
    private final AlertSender sender;
    private final Duration databaseWait;
    private final ExecutorService queue = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "testum-alerts-dispatch");
        t.setDaemon(true);
        return t;
    });

    AlertDispatcher(AlertRepository alerts, PlatformDirectory platforms, AlertSender sender, DatabaseConfig database) {
        this.alerts = alerts;
        this.platforms = platforms;
        this.sender = sender;
        this.databaseWait = database.waitTimeout();
    }

    @PreDestroy
    void stop() {
        queue.shutdownNow();
    }

    void onOccurrence(@Observes Occurrence occurrence) {
        queue.execute(() -> {
            try {
                dispatch(occurrence);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Could not queue the alerts for %s of %s", occurrence.event().wire(), occurrence.subject());
            }
        });
    }

    /** Queues {@code occurrence} now, on the caller's thread; answers how many deliveries it queued. */
    int dispatch(Occurrence occurrence) {
        List<AlertView> subscribed = alerts.all().await().atMost(databaseWait).stream().map(AlertRepository.Stored::view)
                .filter(a -> a.sends() && a.events().contains(occurrence.event().wire())).toList();
        List<AlertView> matching = subscribed;
        if (!occurrence.platforms().isEmpty() && subscribed.stream().anyMatch(a -> !a.selector().isEmpty())) {
            Map<String, Map<String, String>> labels = platforms.labelled().await().atMost(databaseWait).stream()
                    .filter(p -> occurrence.platforms().contains(p.name()))
                    .collect(Collectors.toMap(PlatformDirectory.Labelled::name, PlatformDirectory.Labelled::labels));
            matching = subscribed.stream().filter(a -> a.selector().isEmpty()
                    || labels.values().stream().anyMatch(l -> Labels.matches(a.selector(), l))).toList();
        }
        List<String> names = matching.stream().map(AlertView::name).toList();
        UUID id = UUID.randomUUID();
        int queued = alerts.record(occurrence, id, names, payload(occurrence, id)).await().atMost(databaseWait);
        if (queued > 0) {
            LOG.infof("Alert %s for %s: %d delivery(ies) queued", occurrence.event().wire(), occurrence.subject(), queued);
            sender.wake();
        }
        return queued;
    }

    /** The JSON body's fields that do not change between tries. */
    static JsonObject payload(Occurrence o, UUID id) {
        return new JsonObject().put("id", id.toString()).put("event", o.event().wire()).put("subject", o.subject())
                .put("platforms", new JsonArray(o.platforms())).put("message", o.message())
                .put("details", new JsonObject(new java.util.LinkedHashMap<>(o.details()))).put("occurred_at", o.at().toString());
    }
}

package io.testum.runs;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;

/**
 * This replica's ear on {@code LISTEN testum_run_events}: wakes the viewers of a run when any
 * replica stored new events for it. A dedicated connection, reconnected when it drops; viewers
 * also look again on their own every few seconds, so a notification lost in a reconnect only
 * delays them.
 */
@ApplicationScoped
public class RunSignals {

    private static final Logger LOG = Logger.getLogger(RunSignals.class);

    private final Map<UUID, Set<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();
    private final PgSubscriber subscriber;

    public RunSignals(Vertx vertx, @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") java.util.Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") java.util.Optional<String> password) {
        PgConnectOptions options = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""));
        user.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        this.subscriber = PgSubscriber.subscriber(vertx, options);
        subscriber.reconnectPolicy(retries -> 1000L);
        subscriber.channel(RunRepository.CHANNEL).handler(this::received);
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        close();
    }

    /** Connects and LISTENs. */
    public void start() {
        subscriber.connectAndAwait();
    }

    public void close() {
        subscriber.closeAndAwait();
    }

    private void received(String payload) {
        UUID id;
        try {
            id = UUID.fromString(payload);
        } catch (IllegalArgumentException e) {
            LOG.debugf("Ignoring a notification with payload %s", payload);
            return;
        }
        Set<CompletableFuture<Void>> waiters = waiting.remove(id);
        if (waiters != null) {
            waiters.forEach(w -> w.complete(null));
        }
    }

    /** A wait for news of one run, registered at once so nothing announced after this call is missed. */
    public final class Wait {
        private final UUID id;
        private final CompletableFuture<Void> future = new CompletableFuture<>();

        private Wait(UUID id) {
            this.id = id;
            waiting.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(future);
        }

        /** Completes when news arrives, or after {@code max} (true: news arrived). */
        public Uni<Boolean> await(Duration max) {
            return Uni.createFrom().completionStage(future).replaceWith(true)
                    .ifNoItem().after(max).recoverWithItem(false)
                    .onTermination().invoke(this::cancel);
        }

        public void cancel() {
            Set<CompletableFuture<Void>> waiters = waiting.get(id);
            if (waiters != null) {
                waiters.remove(future);
                if (waiters.isEmpty()) {
                    waiting.remove(id, waiters);
                }
            }
        }
    }

    public Wait arm(UUID id) {
        return new Wait(id);
    }
}

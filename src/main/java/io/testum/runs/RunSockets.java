package io.testum.runs;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import io.testum.auth.StreamGuard;
import io.vertx.core.json.Json;

/**
 * Relays a run's events to a WebSocket: replay, live, {@code run_done}, then a normal close. Each
 * message is sent only after the previous one was written, so a slow client pulls at its own pace
 * and never holds more than a page of events in memory.
 */
@ApplicationScoped
public class RunSockets {

    private static final Logger LOG = Logger.getLogger(RunSockets.class);

    /** Close code for an unknown run (private range of RFC 6455). */
    static final int UNKNOWN_RUN = 4404;
    /** Close code for a caller who lost access while following (logout, disabled user). */
    static final int ACCESS_ENDED = 4401;

    private final RunStreams streams;
    private final RunRepository repository;
    private final StreamGuard guard;
    private final Map<String, Cancellable> relays = new ConcurrentHashMap<>();

    public RunSockets(RunStreams streams, RunRepository repository, StreamGuard guard) {
        this.streams = streams;
        this.repository = repository;
        this.guard = guard;
    }

    /**
     * @param endpoint the socket's row in {@code AccessRules}, whose role the caller must keep
     */
    void open(WebSocketConnection connection, Function<RunEvent, Map<String, Object>> shape, SecurityIdentity identity,
            String endpoint) {
        UUID id;
        try {
            id = UUID.fromString(connection.pathParam("id"));
        } catch (IllegalArgumentException e) {
            connection.close(new CloseReason(UNKNOWN_RUN, "no such run")).subscribe().with(x -> { }, x -> { });
            return;
        }
        Cancellable relay = repository.status(id).onItem().transformToMulti(status -> {
            if (status == null) {
                return connection.close(new CloseReason(UNKNOWN_RUN, "no such run"))
                        .onItem().transformToMulti(x -> Multi.createFrom().<String>empty());
            }
            return guard.whileAllowed(identity, endpoint, streams.events(id, 0)).onItem().transformToIterable(e -> {
                        Map<String, Object> message = shape.apply(e);
                        return message == null ? List.<String>of() : List.of(Json.encode(message));
                    })
                    .onItem().call(connection::sendText)
                    .onCompletion().call(() -> connection.close());
        }).subscribe().with(x -> { }, failure -> {
            if (failure instanceof StreamGuard.AccessEndedException) {
                connection.close(new CloseReason(ACCESS_ENDED, "the session has ended")).subscribe().with(x -> { }, y -> { });
                return;
            }
            LOG.warnf(failure, "Relaying run %s to a WebSocket failed", id);
            connection.close(CloseReason.INTERNAL_SERVER_ERROR).subscribe().with(x -> { }, y -> { });
        });
        relays.put(connection.id(), relay);
    }

    void closed(WebSocketConnection connection) {
        Cancellable relay = relays.remove(connection.id());
        if (relay != null) {
            relay.cancel();
        }
    }
}

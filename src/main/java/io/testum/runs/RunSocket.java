package io.testum.runs;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;

/** {@code WS /ws/runs/{id}}: the messages of SPEC §6. */
@WebSocket(path = "/ws/runs/{id}")
public class RunSocket {

    private final RunSockets sockets;
    private final SecurityIdentity identity;

    public RunSocket(RunSockets sockets, SecurityIdentity identity) {
        this.sockets = sockets;
        this.identity = identity;
    }

    @OnOpen
    public void open(WebSocketConnection connection) {
        sockets.open(connection, RunEvent::message, identity, "GET /ws/runs/{id}");
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        sockets.closed(connection);
    }
}

package io.testum.runs;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;

/** {@code WS /ws/tasks/{id}}: the earlier testum's messages, for its clients; {@code id} is a run id. */
@WebSocket(path = "/ws/tasks/{id}")
public class TaskSocket {

    private final RunSockets sockets;
    private final SecurityIdentity identity;

    public TaskSocket(RunSockets sockets, SecurityIdentity identity) {
        this.sockets = sockets;
        this.identity = identity;
    }

    @OnOpen
    public void open(WebSocketConnection connection) {
        sockets.open(connection, RunEvent::taskMessage, identity, "GET /ws/tasks/{id}");
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        sockets.closed(connection);
    }
}

package io.testum.runs;

import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;

/** {@code WS /ws/runs/{id}}: the messages of SPEC §6. */
@WebSocket(path = "/ws/runs/{id}")
public class RunSocket {

    private final RunSockets sockets;

    public RunSocket(RunSockets sockets) {
        this.sockets = sockets;
    }

    @OnOpen
    public void open(WebSocketConnection connection) {
        sockets.open(connection, RunEvent::message);
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        sockets.closed(connection);
    }
}

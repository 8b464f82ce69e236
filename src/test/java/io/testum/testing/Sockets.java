package io.testum.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonObject;

/** A WebSocket client for tests: every text message of a socket until the service closes it normally. */
public final class Sockets {

    private Sockets() {
    }

    /** The messages {@code path} sends to a client with {@code token}, read until the service closes the socket. */
    public static List<JsonObject> messages(URI base, String path, String token) throws Exception {
        ConcurrentLinkedQueue<JsonObject> messages = new ConcurrentLinkedQueue<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        URI uri = URI.create(base.toString().replaceFirst("^http", "ws")).resolve(path);
        HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .buildAsync(uri, new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            messages.add(new JsonObject(text.toString()));
                            text.setLength(0);
                        }
                        socket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
                        closed.complete(status);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket socket, Throwable error) {
                        closed.completeExceptionally(error);
                    }
                }).get(10, TimeUnit.SECONDS);
        assertThat(closed.get(60, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
        return new ArrayList<>(messages);
    }
}

package io.testum.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay in front of one SSH server that counts what crosses it: connections, and round
 * trips, counted as the times the server sends after the client did (each time the client had
 * to hear from the server before it could go on). The SSH traffic is encrypted; this sees only
 * its rhythm, which is what latency multiplies.
 */
final class CountingRelay implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger roundTrips = new AtomicInteger();
    private final List<Socket> sockets = new ArrayList<>();
    private final Thread acceptor;

    CountingRelay(int target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "counting-relay");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    int roundTrips() {
        return roundTrips.get();
    }

    void reset() {
        connections.set(0);
        roundTrips.set(0);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                client.setTcpNoDelay(true);
                Socket upstream = new Socket();
                upstream.setTcpNoDelay(true);
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target));
                synchronized (sockets) {
                    sockets.add(client);
                    sockets.add(upstream);
                }
                connections.incrementAndGet();
                Object turn = new Object();
                boolean[] clientSpokeLast = {false};
                pump(client, upstream, () -> {
                    synchronized (turn) {
                        clientSpokeLast[0] = true;
                    }
                });
                pump(upstream, client, () -> {
                    synchronized (turn) {
                        if (clientSpokeLast[0]) {
                            roundTrips.incrementAndGet();
                        }
                        clientSpokeLast[0] = false;
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pump(Socket from, Socket to, Runnable onData) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[65536];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    onData.run();
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                try {
                    to.shutdownOutput();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "counting-relay-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (sockets) {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}

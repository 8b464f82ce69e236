package io.testum.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The TCP + banner probe against small local servers that answer the way real and broken hosts do. */
class ReachabilityProbeTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private ServerSocket server;

    /** A server on 127.0.0.1 whose first connection gets {@code handler}. */
    private interface Handler {
        void serve(Socket socket) throws Exception;
    }

    private int serve(Handler handler) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            try (Socket socket = server.accept()) {
                handler.serve(socket);
            } catch (Exception ignored) {
                // the probe hung up
            }
        });
        return server.getLocalPort();
    }

    private static void write(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @AfterEach
    void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void findsTheBannerAndMeasuresTheTimeToIt() throws Exception {
        int port = serve(s -> {
            Thread.sleep(50);
            write(s, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n");
            Thread.sleep(1000);
        });
        ReachabilityProbe.Result result = ReachabilityProbe.probe("127.0.0.1", port, TIMEOUT);
        assertTrue(result.reachable(), result.error());
        assertEquals("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3", result.banner());
        assertTrue(result.latencyMs() >= 50 && result.latencyMs() < 500, "latency " + result.latencyMs());
        assertNull(result.error());
    }

    @Test
    void skipsLinesBeforeTheBannerAsRfc4253Allows() throws Exception {
        int port = serve(s -> write(s, "Welcome to the lab\r\nauthorised use only\nSSH-1.99-Legacy\r\n"));
        ReachabilityProbe.Result result = ReachabilityProbe.probe("127.0.0.1", port, TIMEOUT);
        assertTrue(result.reachable(), result.error());
        assertEquals("SSH-1.99-Legacy", result.banner());
    }

    @Test
    void reportsAClosedPortAsRefused() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        ReachabilityProbe.Result result = ReachabilityProbe.probe("127.0.0.1", port, TIMEOUT);
        assertFalse(result.reachable());
        assertNull(result.latencyMs());
        assertEquals("127.0.0.1:" + port + " refused the connection (nothing listens on port " + port + ")", result.error());
    }

    @Test
    void givesUpOnASilentServerAtTheTimeout() throws Exception {
        int port = serve(s -> Thread.sleep(3000));
        long start = System.nanoTime();
        ReachabilityProbe.Result result = ReachabilityProbe.probe("127.0.0.1", port, TIMEOUT);
        long took = (System.nanoTime() - start) / 1_000_000;
        assertFalse(result.reachable());
        assertEquals("127.0.0.1:" + port + " did not send an SSH banner within 500 ms", result.error());
        assertTrue(took < 1500, "took " + took + " ms");
    }

    @Test
    void givesUpAtTheTimeoutOnAServerThatTricklesBytesWithoutALineEnd() throws Exception {
        int port = serve(s -> {
            for (int i = 0; i < 200; i++) {
                write(s, "x");
                Thread.sleep(20);
            }
        });
        long start = System.nanoTime();
        ReachabilityProbe.Result result = ReachabilityProbe.probe("127.0.0.1", port, TIMEOUT);
        long took = (System.nanoTime() - start) / 1_000_000;
        assertFalse(result.reachable());
        assertEquals("127.0.0.1:" + port + " did not send an SSH banner within 500 ms", result.error());
        assertTrue(took < 1500, "took " + took + " ms");
    }

    @Test
    void reportsAServerThatHangsUpWithoutABanner() throws Exception {
        int port = serve(s -> write(s, "HTTP/1.1 400 Bad Request\r\n\r\n"));
        ReachabilityProbe.Result result = ReachabilityProbe.probe("127.0.0.1", port, TIMEOUT);
        assertFalse(result.reachable());
        assertEquals("127.0.0.1:" + port + " closed the connection before sending an SSH banner", result.error());
    }

    @Test
    void refusesSshVersionOne() throws Exception {
        int port = serve(s -> write(s, "SSH-1.5-Ancient\r\n"));
        ReachabilityProbe.Result result = ReachabilityProbe.probe("127.0.0.1", port, TIMEOUT);
        assertFalse(result.reachable());
        assertEquals("127.0.0.1:" + port + " speaks an SSH version testum does not: SSH-1.5-Ancient", result.error());
    }
}

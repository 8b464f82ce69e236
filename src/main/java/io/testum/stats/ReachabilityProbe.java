package io.testum.stats;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Whether a host's SSH server answers: a TCP connect, then the identification line the server
 * sends first ({@code SSH-2.0-OpenSSH_9.2p1}, RFC 4253 §4.2), both within one time limit. No
 * login, nothing sent: a server that cannot authenticate testum still counts as reachable.
 */
final class ReachabilityProbe {

    /** RFC 4253: an identification line is at most 255 bytes; lines before it are allowed. */
    private static final int MAX_LINE = 255;
    private static final int MAX_LINES = 20;

    /** What one check found; {@code latencyMs} is the time to connect and receive the banner. */
    record Result(boolean reachable, Integer latencyMs, String banner, String error) {

        static Result reachable(long latencyMs, String banner) {
            return new Result(true, (int) Math.min(Integer.MAX_VALUE, latencyMs), banner, null);
        }

        static Result unreachable(String error) {
            return new Result(false, null, null, error);
        }
    }

    private ReachabilityProbe() {
    }

    static Result probe(String host, int port, Duration timeout) {
        String where = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            return Result.unreachable("cannot resolve host '" + host + "'");
        }
        boolean connected = false;
        try (Socket socket = new Socket()) {
            socket.connect(address, millisLeft(deadline));
            connected = true;
            InputStream in = socket.getInputStream();
            for (int lines = 0; lines < MAX_LINES; lines++) {
                String line = readLine(socket, in, deadline);
                if (line == null) {
                    return Result.unreachable(where + " closed the connection before sending an SSH banner");
                }
                if (line.startsWith("SSH-")) {
                    if (!line.startsWith("SSH-2.0-") && !line.startsWith("SSH-1.99-")) {
                        return Result.unreachable(where + " speaks an SSH version testum does not: " + printable(line));
                    }
                    return Result.reachable((System.nanoTime() - start) / 1_000_000, line);
                }
            }
            return Result.unreachable(where + " answers, but not with an SSH banner");
        } catch (SocketTimeoutException e) {
            return Result.unreachable(where + " did not " + (connected ? "send an SSH banner" : "accept a connection")
                    + " within " + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            return Result.unreachable(where + " refused the connection (nothing listens on port " + port + ")");
        } catch (NoRouteToHostException e) {
            return Result.unreachable(where + " has no route: " + e.getMessage());
        } catch (IOException e) {
            return Result.unreachable(where + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /** Milliseconds until the deadline, at least 1 (0 would mean "no limit" to a socket). */
    private static int millisLeft(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("read");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    /**
     * One line without its CR LF, or its first 255 bytes (the rest reads as the next line); null
     * at the end of the stream. Each read waits only until the deadline.
     */
    private static String readLine(Socket socket, InputStream in, long deadline) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b = -1;
        while (line.size() < MAX_LINE) {
            socket.setSoTimeout(millisLeft(deadline));
            b = in.read();
            if (b == -1 || b == '\n') {
                break;
            }
            line.write(b);
        }
        if (b == -1 && line.size() == 0) {
            return null;
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private static String printable(String text) {
        return text.replaceAll("[^\\x20-\\x7e]", "?");
    }
}

package io.testum.ssh;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import io.testum.common.TooManyRequestsException;

/**
 * How often one user may have testum log in to hosts for host stats and containers: at most
 * {@code testum.ssh.interactive-per-user} times within {@code testum.ssh.interactive-window}, per
 * replica; more answer 429 with {@code Retry-After}. Readings served from the cache cost nothing.
 * Together with the interactive share of SSH slots, a viewer who hammers {@code stats?refresh=true}
 * cannot take the connections runs and deployments need.
 */
@Singleton
public class InteractiveLimit {

    private static final int USERS_MAX = 10_000;

    private final int perUser;
    private final long windowNanos;
    private final Duration window;
    private final Map<String, Deque<Long>> calls = new ConcurrentHashMap<>();

    public InteractiveLimit(SshConfig config) {
        this.perUser = config.interactivePerUser();
        this.window = config.interactiveWindow();
        this.windowNanos = window.toNanos();
    }

    /** Counts one SSH login for {@code user}, or refuses it with 429 when the user had their share of the window. */
    public void acquire(String user) {
        long now = System.nanoTime();
        if (calls.size() > USERS_MAX) {
            calls.values().removeIf(times -> {
                synchronized (times) {
                    return times.isEmpty() || now - times.peekLast() >= windowNanos;
                }
            });
        }
        Deque<Long> times = calls.computeIfAbsent(user, u -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && now - times.peekFirst() >= windowNanos) {
                times.pollFirst();
            }
            if (times.size() >= perUser) {
                long retry = (windowNanos - (now - times.peekFirst()) + 999_999_999L) / 1_000_000_000L;
                throw new TooManyRequestsException("'" + user + "' had testum ask hosts over SSH " + perUser + " times within "
                        + window.toSeconds() + " s (testum.ssh.interactive-per-user, testum.ssh.interactive-window); "
                        + "try again in " + Math.max(1, retry) + " s, or read the cached stats without refresh=true", retry);
            }
            times.addLast(now);
        }
    }
}

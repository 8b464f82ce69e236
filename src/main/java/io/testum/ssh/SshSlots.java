package io.testum.ssh;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The SSH sessions testum may have open, shared out by kind of work: deployments may take any free
 * slot of the total, interactive calls at most their own share, runs at most what is left once the
 * deployments' reserve and the interactive share are set aside. So a run that fills its share
 * delays neither a deployment nor a test-ssh.
 */
final class SshSlots {

    private final int total;
    private final int runs;
    private final int interactive;
    private final Map<SshWork, Integer> used = new EnumMap<>(SshWork.class);

    SshSlots(SshConfig config) {
        this.total = config.maxConcurrency();
        this.runs = config.runSlots();
        this.interactive = config.interactiveConcurrency();
        if (config.reservedForDeployments() < 0 || interactive < 1 || runs < 1) {
            throw new IllegalArgumentException("testum.ssh.max-concurrency (" + total + ") must be larger than "
                    + "testum.ssh.reserved-for-deployments (" + config.reservedForDeployments() + ", 0 or more) plus "
                    + "testum.ssh.interactive-concurrency (" + interactive + ", 1 or more): what is left is what runs may use");
        }
        for (SshWork work : SshWork.values()) {
            used.put(work, 0);
        }
    }

    /** Takes a slot for {@code work}, waiting at most {@code wait}; false when none came free. */
    boolean acquire(SshWork work, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (this) {
            while (!fits(work)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            used.merge(work, 1, Integer::sum);
            return true;
        }
    }

    synchronized void release(SshWork work) {
        used.merge(work, -1, Integer::sum);
        notifyAll();
    }

    /** Sessions open at this moment, all kinds together. */
    synchronized int active() {
        return used.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The most sessions {@code work} may hold at once. */
    int capacity(SshWork work) {
        return switch (work) {
            case DEPLOYMENT -> total;
            case RUN -> runs;
            case INTERACTIVE -> interactive;
        };
    }

    private boolean fits(SshWork work) {
        return active() < total && (work == SshWork.DEPLOYMENT || used.get(work) < capacity(work));
    }
}

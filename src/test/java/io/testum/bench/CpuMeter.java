package io.testum.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * CPU seconds spent between two readings, by this JVM (testum in a {@code @QuarkusTest}) and by
 * the whole machine (the sshd hosts, PostgreSQL, the OpenSSH client...), from {@code /proc}.
 * Linux only; the clock tick is taken as 100 Hz, as on every Linux build we run.
 */
final class CpuMeter {

    private static final double TICK = 0.01;

    private final long selfTicks;
    private final long allTicks;
    private final long startNanos;

    private CpuMeter(long selfTicks, long allTicks) {
        this.selfTicks = selfTicks;
        this.allTicks = allTicks;
        this.startNanos = System.nanoTime();
    }

    static CpuMeter start() {
        return new CpuMeter(selfTicks(), allTicks());
    }

    /** What was used since {@link #start()}. */
    Used stop() {
        return new Used((selfTicks() - selfTicks) * TICK, (allTicks() - allTicks) * TICK,
                (System.nanoTime() - startNanos) / 1e9);
    }

    /** CPU seconds of this JVM and of the machine, over {@code wall} seconds. */
    record Used(double self, double all, double wall) {
        String describe() {
            return String.format(Locale.ROOT, "%.2f s wall, CPU %.2f s testum + %.2f s the rest", wall, self,
                    Math.max(0, all - self));
        }
    }

    private static long selfTicks() {
        // /proc/self/stat: "pid (comm) state ..." with utime and stime the 14th and 15th fields
        String stat = read("/proc/self/stat");
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static long allTicks() {
        // the first line of /proc/stat: "cpu user nice system idle iowait irq softirq steal ..."
        String[] fields = read("/proc/stat").lines().findFirst().orElseThrow().trim().split("\\s+");
        long busy = 0;
        for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
            busy += Long.parseLong(fields[i]);
        }
        return busy;
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

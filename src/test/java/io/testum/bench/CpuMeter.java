package io.testum.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CPU seconds spent between two readings, from {@code /proc}: by this JVM (testum in a
 * {@code @QuarkusTest}), by the sshd hosts (each listener with every process below it: the
 * connection's sshd, the login shell, {@code cat}, {@code sha256sum}..., counting those already
 * ended through their parents' children times), by PostgreSQL, and by the rest of the machine
 * (the OpenSSH client and {@code xargs}, the kernel's network work). Linux only; the clock tick is
 * taken as 100 Hz, as on every Linux build we run.
 */
final class CpuMeter {

    private static final double TICK = 0.01;

    private final Reading start;
    private final long startNanos;

    private CpuMeter(Reading start) {
        this.start = start;
        this.startNanos = System.nanoTime();
    }

    static CpuMeter start() {
        return new CpuMeter(Reading.now());
    }

    /** Wall-clock seconds since {@link #start()}. */
    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** What was used since {@link #start()}. */
    Used stop() {
        Reading end = Reading.now();
        return new Used((end.self - start.self) * TICK, (end.sshd - start.sshd) * TICK,
                (end.postgres - start.postgres) * TICK, (end.all - start.all) * TICK, seconds());
    }

    /** CPU seconds of this JVM, the sshd hosts, PostgreSQL and the whole machine, over {@code wall} seconds. */
    record Used(double self, double sshd, double postgres, double all, double wall) {
        String describe() {
            return String.format(Locale.ROOT, "%.2f s wall, CPU %.2f s in all: testum %.2f s, sshd hosts %.2f s, "
                    + "PostgreSQL %.2f s, the rest %.2f s", wall, all, self, sshd, postgres,
                    Math.max(0, all - self - sshd - postgres));
        }
    }

    /** Clock ticks used so far. */
    private record Reading(long self, long sshd, long postgres, long all) {
        static Reading now() {
            Map<Long, Proc> procs = processes();
            long self = procs.get(ProcessHandle.current().pid()).own();
            long sshd = 0;
            long postgres = 0;
            for (Proc p : procs.values()) {
                // a process counts itself and its ended children (a live child counts itself)
                if (p.below("sshd", procs)) {
                    sshd += p.own() + p.children();
                } else if (p.below("postgres", procs)) {
                    postgres += p.own() + p.children();
                }
            }
            return new Reading(self, sshd, postgres, allTicks());
        }
    }

    private record Proc(long pid, long ppid, String comm, long own, long children) {
        /** Whether this process, or one it descends from, is a {@code program} ({@code sshd}, {@code sshd-session}...). */
        boolean below(String program, Map<Long, Proc> procs) {
            for (Proc p = this; p != null; p = procs.get(p.ppid())) {
                if (p.comm().startsWith(program)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static Map<Long, Proc> processes() {
        Map<Long, Proc> procs = new HashMap<>();
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            stream.forEach(dirs::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path dir : dirs) {
            String stat;
            try {
                stat = Files.readString(dir.resolve("stat"));
            } catch (NoSuchFileException e) {
                continue; // ended meanwhile
            } catch (IOException e) {
                continue;
            }
            // "pid (comm) state ppid ..." with utime, stime, cutime, cstime the 14th to 17th fields
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            String[] f = stat.substring(close + 2).split(" ");
            long pid = Long.parseLong(stat.substring(0, open).strip());
            procs.put(pid, new Proc(pid, Long.parseLong(f[1]), stat.substring(open + 1, close),
                    Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])));
        }
        return procs;
    }

    private static long allTicks() {
        // the first line of /proc/stat: "cpu user nice system idle iowait irq softirq steal ..."
        try {
            String[] fields = Files.readString(Path.of("/proc/stat")).lines().findFirst().orElseThrow().trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(fields[i]);
            }
            return busy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.testum.stats;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one command that reads a host's stats, and the pure parser of its output. The command is
 * plain POSIX sh that BusyBox runs too: {@code cat} of three {@code /proc} files and
 * {@code df -P -k}, each after a marker line, so that one SSH exec returns everything.
 */
final class HostStatsParser {

    private static final String MARKER = "@@testum:";
    private static final String UPTIME = "uptime";
    private static final String LOADAVG = "loadavg";
    private static final String MEMINFO = "meminfo";
    private static final String DF = "df";
    private static final String END = "end";

    /** What runs on the host. The final marker tells a complete answer from a cut one. */
    static final String SCRIPT = String.join("; ",
            "echo " + MARKER + UPTIME, "cat /proc/uptime",
            "echo " + MARKER + LOADAVG, "cat /proc/loadavg",
            "echo " + MARKER + MEMINFO, "cat /proc/meminfo",
            "echo " + MARKER + DF, "df -P -k",
            "echo " + MARKER + END);

    /** Filesystem sources (df's first column) that hold no disk space worth showing. */
    private static final Set<String> PSEUDO = Set.of("tmpfs", "devtmpfs", "udev", "proc", "sysfs", "devpts", "shm",
            "cgroup", "cgroup2", "securityfs", "pstore", "debugfs", "tracefs", "configfs", "fusectl", "mqueue",
            "hugetlbfs", "bpf", "efivarfs", "ramfs", "nsfs", "binfmt_misc", "autofs");

    /** {@code source size used available capacity mount}; the source and the mount may hold spaces. */
    private static final Pattern DF_ROW = Pattern.compile(
            "^(\\S.*?)\\s+(\\d+|-)\\s+(\\d+|-)\\s+(\\d+|-)\\s+(\\d+%|-)\\s+(/.*)$");

    private HostStatsParser() {
    }

    /** Reads the output of {@link #SCRIPT}; throws {@link UnreadableOutputException} saying what is missing. */
    static HostStats parse(String output, Instant collectedAt) {
        Map<String, List<String>> sections = sections(output);
        if (!sections.containsKey(END)) {
            throw new UnreadableOutputException("the stats output ends early (no end marker); it may have been cut");
        }
        return new HostStats(uptime(section(sections, UPTIME)), load(section(sections, LOADAVG)),
                memory(section(sections, MEMINFO)), disks(section(sections, DF)), collectedAt);
    }

    private static Map<String, List<String>> sections(String output) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : output.split("\r?\n", -1)) {
            if (line.startsWith(MARKER)) {
                current = new ArrayList<>();
                sections.put(line.substring(MARKER.length()).trim(), current);
            } else if (current != null) {
                current.add(line);
            }
        }
        return sections;
    }

    private static List<String> section(Map<String, List<String>> sections, String name) {
        List<String> lines = sections.get(name);
        if (lines == null) {
            throw new UnreadableOutputException("the stats output has no " + name + " section");
        }
        return lines.stream().filter(l -> !l.isBlank()).toList();
    }

    /** {@code /proc/uptime}: seconds since boot, then idle seconds. */
    static long uptime(List<String> lines) {
        String[] fields = firstLine(lines, "/proc/uptime").split("\\s+");
        return (long) number(fields[0], "/proc/uptime");
    }

    /** {@code /proc/loadavg}: {@code 0.52 0.58 0.59 1/467 12345}. */
    static List<Double> load(List<String> lines) {
        String[] fields = firstLine(lines, "/proc/loadavg").split("\\s+");
        if (fields.length < 3) {
            throw new UnreadableOutputException("/proc/loadavg holds '" + lines.get(0) + "', not three load averages");
        }
        return List.of(number(fields[0], "/proc/loadavg"), number(fields[1], "/proc/loadavg"), number(fields[2], "/proc/loadavg"));
    }

    /**
     * {@code /proc/meminfo}: available is {@code MemAvailable} (Linux 3.14 and later), else
     * {@code MemFree + Buffers + Cached}; used is total minus available.
     */
    static HostStats.Memory memory(List<String> lines) {
        Map<String, Long> values = new HashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String[] amount = line.substring(colon + 1).trim().split("\\s+");
            try {
                long value = Long.parseLong(amount[0]);
                values.put(line.substring(0, colon).trim(), amount.length > 1 && amount[1].equalsIgnoreCase("kB") ? value * 1024 : value);
            } catch (NumberFormatException e) {
                // a line testum does not use
            }
        }
        Long total = values.get("MemTotal");
        if (total == null) {
            throw new UnreadableOutputException("/proc/meminfo has no MemTotal line" + (lines.isEmpty() ? " (it is empty)" : ""));
        }
        Long available = values.get("MemAvailable");
        if (available == null) {
            if (!values.containsKey("MemFree")) {
                throw new UnreadableOutputException("/proc/meminfo has neither MemAvailable nor MemFree");
            }
            available = values.get("MemFree") + values.getOrDefault("Buffers", 0L) + values.getOrDefault("Cached", 0L);
        }
        available = Math.min(available, total);
        return new HostStats.Memory(total, total - available, available);
    }

    /**
     * {@code df -P -k}: a header, then one row per filesystem in 1024-byte blocks. Rows of pseudo
     * filesystems and of size 0 are left out. A source name too long for its column may stand
     * alone on a line, the numbers on the next (older BusyBox); such lines are joined.
     */
    static List<HostStats.Disk> disks(List<String> lines) {
        List<HostStats.Disk> disks = new ArrayList<>();
        String pending = null;
        for (String line : lines) {
            if (line.startsWith("Filesystem")) {
                continue;
            }
            String row = pending == null ? line : pending + " " + line.strip();
            Matcher m = DF_ROW.matcher(row);
            if (!m.matches()) {
                pending = pending == null && !line.isBlank() && !line.strip().contains(" ") ? line.strip() : null;
                continue;
            }
            pending = null;
            long size = blocks(m.group(2));
            if (size == 0 || PSEUDO.contains(m.group(1))) {
                continue;
            }
            disks.add(new HostStats.Disk(m.group(6), size * 1024, blocks(m.group(3)) * 1024, blocks(m.group(4)) * 1024));
        }
        return List.copyOf(disks);
    }

    private static long blocks(String value) {
        return value.equals("-") ? 0 : Long.parseLong(value);
    }

    private static String firstLine(List<String> lines, String file) {
        if (lines.isEmpty()) {
            throw new UnreadableOutputException(file + " is empty or missing; testum reads stats from Linux's /proc");
        }
        return lines.get(0).trim();
    }

    private static double number(String text, String file) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new UnreadableOutputException(file + " holds '" + text + "' where a number belongs");
        }
    }
}

package io.testum.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The stats output parser, on output as GNU/Linux and BusyBox hosts print it. */
class HostStatsParserTest {

    private static final Instant AT = Instant.parse("2026-03-01T12:00:00Z");

    private static final String GNU_MEMINFO = """
            MemTotal:       16287632 kB
            MemFree:         1234560 kB
            MemAvailable:    9876540 kB
            Buffers:          345600 kB
            Cached:          7000000 kB
            SwapCached:            0 kB
            HugePages_Total:       0
            Hugepagesize:       2048 kB
            """;

    /** GNU coreutils: {@code df -P -k} on a laptop, with a mount point that holds a space. */
    private static final String GNU_DF = """
            Filesystem     1024-blocks     Used Available Capacity Mounted on
            udev               8123456        0   8123456       0% /dev
            tmpfs              1628764     2060   1626704       1% /run
            /dev/nvme0n1p2   490617784 98765432 366849104      22% /
            tmpfs              8143816   123456   8020360       2% /dev/shm
            /dev/nvme0n1p1      523248     6220    517028       2% /boot/efi
            /dev/sdb1         30274576 10000000  20274576      34% /media/usb stick
            proc                     0        0         0       - /proc
            """;

    /** BusyBox 1.36 in an Alpine container: overlay root, shm, and bind mounts of the host's disk. */
    private static final String BUSYBOX_DF = """
            Filesystem           1024-blocks    Used Available Capacity Mounted on
            overlay                 61255492  18925484  39188680  33% /
            tmpfs                      65536         0     65536   0% /dev
            shm                        65536         0     65536   0% /dev/shm
            /dev/sda1               61255492  18925484  39188680  33% /etc/hosts
            tmpfs                    4030212         0   4030212   0% /proc/acpi
            """;

    /** An old kernel (before 3.14) has no MemAvailable line. */
    private static final String OLD_MEMINFO = """
            MemTotal:         514000 kB
            MemFree:          100000 kB
            Buffers:           20000 kB
            Cached:           180000 kB
            """;

    private static String output(String uptime, String loadavg, String meminfo, String df) {
        return "@@testum:uptime\n" + uptime + "\n@@testum:loadavg\n" + loadavg + "\n@@testum:meminfo\n" + meminfo
                + "@@testum:df\n" + df + "@@testum:end\n";
    }

    @Test
    void readsEveryFieldOfAGnuLinuxHost() {
        HostStats stats = HostStatsParser.parse(output("350735.47 1402324.23", "0.52 0.58 0.59 1/467 12345", GNU_MEMINFO,
                GNU_DF), AT);

        assertEquals(350735, stats.uptimeSeconds());
        assertEquals(List.of(0.52, 0.58, 0.59), stats.load());
        assertEquals(new HostStats.Memory(16287632L * 1024, (16287632L - 9876540L) * 1024, 9876540L * 1024), stats.memory());
        assertEquals(List.of(
                new HostStats.Disk("/", 490617784L * 1024, 98765432L * 1024, 366849104L * 1024),
                new HostStats.Disk("/boot/efi", 523248L * 1024, 6220L * 1024, 517028L * 1024),
                new HostStats.Disk("/media/usb stick", 30274576L * 1024, 10000000L * 1024, 20274576L * 1024)),
                stats.disks());
        assertEquals(AT, stats.collectedAt());
    }

    @Test
    void readsBusyBoxDfAndKeepsOverlayButNotTmpfsOrShm() {
        List<HostStats.Disk> disks = HostStatsParser.disks(BUSYBOX_DF.lines().toList());
        assertEquals(List.of(
                new HostStats.Disk("/", 61255492L * 1024, 18925484L * 1024, 39188680L * 1024),
                new HostStats.Disk("/etc/hosts", 61255492L * 1024, 18925484L * 1024, 39188680L * 1024)), disks);
    }

    @Test
    void joinsARowWhoseLongSourceNameStandsOnItsOwnLine() {
        List<HostStats.Disk> disks = HostStatsParser.disks(List.of(
                "Filesystem           1024-blocks    Used Available Capacity Mounted on",
                "/dev/mapper/vg0-a-very-long-logical-volume",
                "                        1000000    400000    600000  40% /srv"));
        assertEquals(List.of(new HostStats.Disk("/srv", 1024000000L, 409600000L, 614400000L)), disks);
    }

    @Test
    void leavesOutRowsOfSizeZeroWhateverTheirSource() {
        List<HostStats.Disk> disks = HostStatsParser.disks(List.of(
                "Filesystem     1024-blocks  Used Available Capacity Mounted on",
                "model_tools            0       0         0       - /mnt/empty",
                "/dev/vdb         2048       1024      1024      50% /data"));
        assertEquals(List.of(new HostStats.Disk("/data", 2048L * 1024, 1024L * 1024, 1024L * 1024)), disks);
    }

    @Test
    void fallsBackToFreePlusBuffersPlusCachedWithoutMemAvailable() {
        HostStats.Memory memory = HostStatsParser.memory(OLD_MEMINFO.lines().toList());
        long available = (100000L + 20000L + 180000L) * 1024;
        assertEquals(new HostStats.Memory(514000L * 1024, 514000L * 1024 - available, available), memory);
    }

    @Test
    void readsUptimeAsWholeSecondsAndLoadFromTheFirstThreeFields() {
        assertEquals(59, HostStatsParser.uptime(List.of("59.99 100.00")));
        assertEquals(List.of(12.0, 3.5, 0.0), HostStatsParser.load(List.of("12.00 3.50 0.00 2/100 999")));
    }

    @Test
    void toleratesCarriageReturnsAndBlankLines() {
        String crlf = output("10.00 20.00", "0.00 0.01 0.05 1/1 1", OLD_MEMINFO, BUSYBOX_DF).replace("\n", "\r\n");
        HostStats stats = HostStatsParser.parse(crlf, AT);
        assertEquals(10, stats.uptimeSeconds());
        assertEquals(2, stats.disks().size());
    }

    @Test
    void refusesOutputCutBeforeTheEndMarker() {
        String cut = output("1.0 1.0", "0 0 0 1/1 1", GNU_MEMINFO, GNU_DF).replace("@@testum:end\n", "");
        var e = assertThrows(UnreadableOutputException.class, () -> HostStatsParser.parse(cut, AT));
        assertTrue(e.getMessage().contains("no end marker"), e.getMessage());
    }

    @Test
    void explainsAHostWithoutProcFiles() {
        String bsd = output("", "", "", GNU_DF);
        var e = assertThrows(UnreadableOutputException.class, () -> HostStatsParser.parse(bsd, AT));
        assertEquals("/proc/uptime is empty or missing; testum reads stats from Linux's /proc", e.getMessage());
    }

    @Test
    void refusesMeminfoWithoutMemTotal() {
        var e = assertThrows(UnreadableOutputException.class, () -> HostStatsParser.memory(List.of("MemFree: 1 kB")));
        assertEquals("/proc/meminfo has no MemTotal line", e.getMessage());
    }

    @Test
    void refusesALoadLineWithTooFewFields() {
        assertThrows(UnreadableOutputException.class, () -> HostStatsParser.load(List.of("0.1 0.2")));
    }

    @Test
    void theScriptIsOneLineOfPlainShellCommands() {
        assertEquals("echo @@testum:uptime; cat /proc/uptime; echo @@testum:loadavg; cat /proc/loadavg; "
                + "echo @@testum:meminfo; cat /proc/meminfo; echo @@testum:df; df -P -k; echo @@testum:end",
                HostStatsParser.SCRIPT);
    }
}

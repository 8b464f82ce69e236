package io.testum.stats;

import java.time.Instant;
import java.util.List;

/**
 * A platform's stats as {@code GET /api/platforms/{name}/stats} answers them (SPEC §6).
 *
 * @param uptimeSeconds whole seconds since the host booted
 * @param load          the 1, 5 and 15 minute load averages
 * @param disks         mounted filesystems with a size, pseudo filesystems left out
 * @param collectedAt   when testum read them from the host
 */
public record HostStats(long uptimeSeconds, List<Double> load, Memory memory, List<Disk> disks, Instant collectedAt) {

    /** Memory in bytes: {@code used = total - available}. */
    public record Memory(long totalBytes, long usedBytes, long availableBytes) {
    }

    /** One mounted filesystem, in bytes, as {@code df -P -k} reports it. */
    public record Disk(String mount, long sizeBytes, long usedBytes, long availableBytes) {
    }
}

package io.testum.stats;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.testum.common.BoundedCache;
import io.testum.common.Timestamps;
import io.testum.deploy.DesiredState;
import io.testum.ssh.ExecResult;

/**
 * A platform's stats, read over SSH with one command and kept in memory for
 * {@link #CACHE_FOR} per platform, so a dashboard that polls does not open a connection each time.
 * The cache is per replica and forgets an entry when the platform's address or login changes.
 */
@ApplicationScoped
public class HostStatsService {

    /** How long a reading is served again. */
    static final Duration CACHE_FOR = Duration.ofSeconds(30);
    /** Platforms whose readings are kept at most; beyond, the least used are dropped. */
    static final int CACHE_SIZE = 10_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** df on a host with many mounts (a Kubernetes node) prints a few hundred KiB at most. */
    private static final int MAX_BYTES = 1024 * 1024;

    private final RemoteCommands remote;
    /** Readings by platform id; entries older than {@link #CACHE_FOR} go by themselves. */
    private final BoundedCache<Long, Reading> cache = BoundedCache.of(CACHE_SIZE, CACHE_FOR);

    HostStatsService(RemoteCommands remote) {
        this.remote = remote;
    }

    /** What a reading was taken from: a platform that now points elsewhere is read again. */
    private record Target(String host, int port, String username, String credential) {

        static Target of(DesiredState.PlatformRow p) {
            return new Target(p.host(), p.port(), p.username(), p.credential());
        }
    }

    private record Reading(Target target, HostStats stats) {

        boolean freshFor(Target current, Instant now) {
            return target.equals(current) && stats.collectedAt().plus(CACHE_FOR).isAfter(now);
        }
    }

    /**
     * The stats of the platform named {@code name}: the cached reading when it is younger than
     * {@link #CACHE_FOR} and {@code refresh} is false, else a new one, read for {@code requester}.
     * 404 for an unknown platform, 429 when the requester asked too often, 502 when the host cannot
     * be asked or answers something unreadable.
     */
    public HostStats stats(String name, boolean refresh, String requester) {
        DesiredState.PlatformRow platform = remote.platform(name);
        Target target = Target.of(platform);
        Instant now = Timestamps.now();
        Reading cached = cache.get(platform.id());
        if (!refresh && cached != null && cached.freshFor(target, now)) {
            return cached.stats();
        }
        ExecResult result = remote.run(platform, HostStatsParser.SCRIPT, TIMEOUT, MAX_BYTES, requester);
        HostStats stats;
        try {
            stats = HostStatsParser.parse(result.stdoutText(), Timestamps.now());
        } catch (UnreadableOutputException e) {
            String stderr = result.stderrText().strip();
            throw new PlatformUnavailableException("Platform '" + name + "' answered the stats command with output testum "
                    + "cannot read: " + e.getMessage() + (stderr.isEmpty() ? "" : " (stderr: " + RemoteCommands.excerpt(stderr) + ")"));
        }
        cache.put(platform.id(), new Reading(target, stats));
        return stats;
    }
}

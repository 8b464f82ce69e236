package io.testum.deploy;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.testum.common.BoundedCache;
import io.testum.ssh.FileLocation;
import io.testum.ssh.RemoteFile;

/**
 * What each managed file held when testum last saw it: the content its proof read back after a
 * write, or the content a deployment found already right. The next deployment that has to change
 * the file computes the new content from this and writes it at once, without reading the file
 * first: the write replaces the file only if it still holds exactly this content (the transport's
 * compare-and-swap, checked on the host), and if it does not, the deployment reads the file and
 * starts over as before. So a stale entry costs one refused write and changes nothing; it is never
 * taken as proof that a file is in sync. Bounded by bytes (a file over {@link #MAX_FILE_BYTES} is
 * not kept) and by age.
 */
@ApplicationScoped
public class SeenFiles {

    static final int MAX_FILE_BYTES = 256 * 1024;
    static final long MAX_BYTES = 16L * 1024 * 1024;
    static final Duration KEEP = Duration.ofHours(1);

    /** One file of one account on one host, as a platform reaches it. */
    record Key(long platform, String host, int port, String account, String path) {
    }

    private final BoundedCache<Key, RemoteFile> seen = BoundedCache.weighing(MAX_BYTES,
            (key, file) -> file.content().length + key.path().length() + 64, KEEP);

    static Key key(DesiredState.PlatformRow platform, FileLocation location) {
        return new Key(platform.id(), platform.host(), platform.port(), location.account(), location.path());
    }

    /** What the file held when last seen, taken out (it is good for one write); null when not known. */
    RemoteFile take(Key key) {
        return seen.remove(key);
    }

    /** The file holds {@code file} now. */
    void saw(Key key, RemoteFile file) {
        if (file.exists() && file.content().length <= MAX_FILE_BYTES) {
            seen.put(key, file);
        } else {
            seen.remove(key);
        }
    }
}

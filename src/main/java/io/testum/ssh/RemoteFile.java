package io.testum.ssh;

import java.util.Arrays;

/**
 * A remote file as read: its bytes and the attributes a later compare-and-swap checks.
 *
 * @param exists   false when there was no file (content is then empty)
 * @param mode     permission bits, e.g. 0600
 * @param modified modification time in seconds
 */
public record RemoteFile(String path, boolean exists, byte[] content, int mode, long modified, int uid) {

    static RemoteFile absent(String path) {
        return new RemoteFile(path, false, new byte[0], 0, 0, -1);
    }

    /** Whether another read shows the same file: same existence and bytes. */
    public boolean sameAs(RemoteFile other) {
        return exists == other.exists && Arrays.equals(content, other.content);
    }
}

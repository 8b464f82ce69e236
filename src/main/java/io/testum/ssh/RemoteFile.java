package io.testum.ssh;

import java.util.Arrays;

/**
 * A remote file as read.
 *
 * @param exists false when there was no file (content is then empty)
 */
public record RemoteFile(String path, boolean exists, byte[] content) {

    static RemoteFile absent(String path) {
        return new RemoteFile(path, false, new byte[0]);
    }

    /** Whether another read shows the same file: same existence and bytes. */
    public boolean sameAs(RemoteFile other) {
        return exists == other.exists && Arrays.equals(content, other.content);
    }
}

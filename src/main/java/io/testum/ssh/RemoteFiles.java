package io.testum.ssh;

/**
 * Reading and replacing one account's file on a host over an open connection. A replace is a
 * compare-and-swap: the new content goes to a temporary file beside the target, and is renamed
 * over the target only if the target still holds what {@code expected} holds; otherwise nothing
 * changes and the caller reads again.
 */
public interface RemoteFiles {

    /** How a replace or remove ended. */
    enum Outcome {
        /** The target now holds the new content (or, for a remove, is gone). */
        REPLACED,
        /** The target no longer held the expected content; nothing was changed. */
        CHANGED
    }

    /**
     * Reads the file; an absent file (or directory) reads as {@link RemoteFile#exists()} false.
     *
     * @throws SshFailure {@link SshFailure.Kind#REFUSED} when the file or a directory on its way is a
     *                    symbolic link, not owned by the account, or not a regular file; nothing of it is read
     */
    RemoteFile read(FileLocation location);

    /**
     * Replaces the file with {@code content} (mode 0600; missing directories in the home are
     * created 0700) if it still holds {@code expected}. {@code whileSending} runs once the
     * content is on its way and before the host renames anything.
     */
    Outcome replace(FileLocation location, RemoteFile expected, byte[] content, Runnable whileSending);

    /** Removes the file if it still holds {@code expected}; an absent file counts as removed. */
    Outcome remove(FileLocation location, RemoteFile expected);
}

package io.testum.db;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * An exclusive, process-wide claim on a data directory: {@code <data-dir>/testum.lock}, locked
 * with the operating system's file lock and holding the owner's pid. The lock dies with the
 * process, so a crash never leaves a stale claim behind.
 */
final class DataDirLock implements AutoCloseable {

    static final String FILE_NAME = "testum.lock";

    private final RandomAccessFile file;
    private final FileLock lock;

    private DataDirLock(RandomAccessFile file, FileLock lock) {
        this.file = file;
        this.lock = lock;
    }

    /**
     * Claims {@code dataDir} or fails at once with a message that names the process holding it.
     */
    static DataDirLock acquire(Path dataDir) {
        Path path = dataDir.resolve(FILE_NAME);
        RandomAccessFile file = null;
        try {
            file = new RandomAccessFile(path.toFile(), "rw");
            FileChannel channel = file.getChannel();
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                // This process holds the lock already, through a channel of an earlier start: dev mode starts
                // the application again in a new class loader, and a start that failed never ran the shutdown
                // that would have released it. The claim against other processes stands; keep it.
                return new DataDirLock(file, null);
            }
            if (lock == null) {
                String owner = Files.readString(path, StandardCharsets.UTF_8).strip();
                file.close();
                throw new DataDirInUseException("The data directory " + dataDir.toAbsolutePath()
                        + " is in use by another testum process (" + (owner.isEmpty() ? "pid unknown" : owner)
                        + "). Stop that process, or give this one its own testum.data-dir.");
            }
            channel.truncate(0);
            channel.write(StandardCharsets.UTF_8.encode(
                    "pid " + ProcessHandle.current().pid() + ", started " + Instant.now() + "\n"), 0);
            channel.force(true);
            return new DataDirLock(file, lock);
        } catch (IOException e) {
            closeQuietly(file);
            throw new IllegalStateException("Cannot lock the data directory " + dataDir.toAbsolutePath()
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (lock == null) {
            // an earlier start's lock: it lasts as long as this process
            return;
        }
        try {
            lock.release();
        } catch (IOException ignored) {
            // the lock goes with the channel anyway
        }
        closeQuietly(file);
    }

    private static void closeQuietly(RandomAccessFile file) {
        if (file != null) {
            try {
                file.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }

    /** Another process owns the data directory. */
    static final class DataDirInUseException extends IllegalStateException {
        DataDirInUseException(String message) {
            super(message);
        }
    }
}

package io.testum.runs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * The events of one executing run: numbered in the order they happen, then written in batches
 * (each batch one transaction that ends with a NOTIFY), so a run with many chatty hosts costs a
 * few inserts per second instead of one per chunk. Adding never blocks the SSH threads.
 */
final class RunJournal implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RunJournal.class);
    /** How long the writer gathers events after the first one before writing them. */
    private static final Duration GATHER = Duration.ofMillis(15);
    private static final int BATCH = 500;

    private final UUID runId;
    private final RunRepository repository;
    private final Duration databaseWait;
    private final LinkedBlockingQueue<RunEvent> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private long seq;
    private volatile boolean closed;

    RunJournal(UUID runId, RunRepository repository, Duration databaseWait) {
        this.runId = runId;
        this.repository = repository;
        this.databaseWait = databaseWait;
        this.writer = Thread.ofVirtual().name("run-journal-" + runId).start(this::write);
    }

    /** Numbers {@code event} and queues it for writing. */
    void add(RunEvent event) {
        synchronized (queue) {
            queue.add(event.withSeq(++seq));
        }
    }

    private void write() {
        List<RunEvent> batch = new ArrayList<>();
        while (true) {
            RunEvent first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closed && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                if (!closed) {
                    Thread.sleep(GATHER);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            batch.add(first);
            queue.drainTo(batch, BATCH - 1);
            store(batch);
            batch.clear();
        }
    }

    private void store(List<RunEvent> batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                repository.append(runId, List.copyOf(batch)).await().atMost(databaseWait);
                return;
            } catch (RuntimeException e) {
                if (attempt == 5) {
                    LOG.errorf(e, "Run %s: %d output events could not be stored and are lost", runId, batch.size());
                    return;
                }
                LOG.warnf("Run %s: storing output events failed (%s); retrying", runId, e.getMessage());
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Writes what is queued and stops the writer. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

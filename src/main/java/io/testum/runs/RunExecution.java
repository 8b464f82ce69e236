package io.testum.runs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.testum.common.NotFoundException;
import io.testum.deploy.PlatformConnector;
import io.testum.ssh.SshConnection;
import io.testum.ssh.SshFailure;
import io.testum.ssh.SshWork;

/**
 * Executes one claimed run: its hosts in order, at most {@code concurrency} at once, each with its
 * own time limit, output kept per stream up to the cap and streamed as events. Stops starting
 * hosts once {@code max_failures} hosts failed or a cancel arrives; a cancel also stops the
 * commands already running.
 */
final class RunExecution {

    private static final Logger LOG = Logger.getLogger(RunExecution.class);

    private final RunRepository.Claimed run;
    private final String owner;
    private final RunRepository repository;
    private final PlatformConnector sessions;
    private final int concurrency;
    private final int maxOutput;
    private final MeterRegistry meters;
    private final Duration databaseWait;
    private final AtomicInteger failures = new AtomicInteger();
    private volatile String cancelReason;
    private volatile boolean aborted;

    RunExecution(RunRepository.Claimed run, String owner, RunRepository repository, PlatformConnector sessions,
            int concurrency, int maxOutput, MeterRegistry meters, Duration databaseWait) {
        this.run = run;
        this.owner = owner;
        this.repository = repository;
        this.sessions = sessions;
        this.concurrency = concurrency;
        this.maxOutput = maxOutput;
        this.meters = meters;
        this.databaseWait = databaseWait;
    }

    /** Stops the run: no host starts any more, running commands are signalled. */
    void cancel(String reason) {
        if (cancelReason == null) {
            cancelReason = reason;
        }
    }

    /** Stops the run like a cancel, but it ends {@code failed}: this replica cannot finish it. */
    void abort(String reason) {
        aborted = true;
        cancel(reason);
    }

    boolean canceled() {
        return cancelReason != null;
    }

    RunStatus execute() {
        List<RunStatus> outcomes = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        String skipReason = null;
        try (RunJournal journal = new RunJournal(run.id(), repository, databaseWait)) {
            Semaphore slots = new Semaphore(concurrency);
            try (ExecutorService hosts = Executors.newVirtualThreadPerTaskExecutor()) {
                for (String platform : run.platforms()) {
                    slots.acquireUninterruptibly();
                    String reason = stopReason();
                    if (reason != null) {
                        slots.release();
                        skipped.add(platform);
                        skipReason = reason;
                        continue;
                    }
                    hosts.submit(() -> {
                        RunStatus status = RunStatus.FAILED;
                        try {
                            status = host(platform, journal);
                        } catch (RuntimeException e) {
                            LOG.errorf(e, "Run %s: recording host %s failed", run.id(), platform);
                        } finally {
                            synchronized (outcomes) {
                                outcomes.add(status);
                            }
                            slots.release();
                        }
                    });
                }
            }
            if (!skipped.isEmpty()) {
                repository.cancelQueuedHosts(run.id(), skipReason).await().atMost(databaseWait);
                for (String platform : skipped) {
                    journal.add(RunEvent.status(platform, RunStatus.CANCELED, skipReason));
                }
            }
            RunStatus status = overall(outcomes, !skipped.isEmpty());
            String reason = canceled() ? cancelReason : skipped.isEmpty() ? null : skipReason;
            repository.finish(run.id(), owner, status, reason).await().atMost(databaseWait);
            journal.add(RunEvent.runDone(status));
            return status;
        }
    }

    private String stopReason() {
        if (cancelReason != null) {
            return cancelReason;
        }
        if (run.maxFailures() != null && failures.get() >= run.maxFailures()) {
            return "max_failures (" + run.maxFailures() + ") reached; not started";
        }
        return null;
    }

    private RunStatus overall(List<RunStatus> outcomes, boolean skipped) {
        if (canceled()) {
            return aborted ? RunStatus.FAILED : RunStatus.CANCELED;
        }
        if (outcomes.contains(RunStatus.FAILED) || skipped) {
            return RunStatus.FAILED;
        }
        if (outcomes.contains(RunStatus.TIMED_OUT)) {
            return RunStatus.TIMED_OUT;
        }
        return RunStatus.SUCCEEDED;
    }

    private RunStatus host(String platform, RunJournal journal) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        repository.hostStarted(run.id(), platform).await().atMost(databaseWait);
        journal.add(RunEvent.status(platform, RunStatus.RUNNING, null));
        HostOutput out = new HostOutput(platform, "stdout", maxOutput, journal);
        HostOutput err = new HostOutput(platform, "stderr", maxOutput, journal);
        RunStatus status;
        Integer exitCode = null;
        String error = null;
        try (SshConnection connection = sessions.open(platform, SshWork.RUN)) {
            SshConnection.ExecStatus exec = run.script() == null
                    ? connection.exec(run.command(), null, Duration.ofSeconds(run.timeoutSeconds()), out, err, this::canceled)
                    : connection.exec(RunScript.REMOTE_COMMAND, run.script().stdin(), Duration.ofSeconds(run.timeoutSeconds()),
                            out, err, this::canceled);
            exitCode = exec.exitCode();
            if (exec.canceled()) {
                status = RunStatus.CANCELED;
                error = cancelReason;
            } else if (exec.timedOut()) {
                status = RunStatus.TIMED_OUT;
                error = "timed out after " + run.timeoutSeconds() + " s; the command was terminated";
            } else if (exitCode != null && exitCode == 0) {
                status = RunStatus.SUCCEEDED;
            } else {
                status = RunStatus.FAILED;
                error = exec.exitSignal() != null ? "killed by signal " + exec.exitSignal()
                        : exitCode == null ? "the command ended without an exit status" : null;
            }
        } catch (SshFailure e) {
            status = RunStatus.FAILED;
            error = e.getMessage();
        } catch (NotFoundException e) {
            status = RunStatus.FAILED;
            error = "platform '" + platform + "' no longer exists";
        } catch (RuntimeException e) {
            LOG.warnf(e, "Run %s: host %s failed unexpectedly", run.id(), platform);
            status = RunStatus.FAILED;
            error = e.toString();
        }
        out.flush();
        err.flush();
        if (status == RunStatus.FAILED || status == RunStatus.TIMED_OUT) {
            failures.incrementAndGet();
        }
        repository.hostFinished(run.id(), new RunRepository.HostOutcome(platform, status, exitCode, started, out.bytes(),
                err.bytes(), out.truncated() || err.truncated(), error)).await().atMost(databaseWait);
        journal.add(RunEvent.status(platform, status, error));
        journal.add(RunEvent.done(platform, exitCode));
        Timer.builder("testum.run.host.duration").description("Time one host of a run took, connect included")
                .tag("status", status.label()).register(meters).record(Duration.ofNanos(System.nanoTime() - t0));
        return status;
    }
}

package io.testum.ssh;

/**
 * What an SSH connection is for. Each kind draws on its own share of
 * {@code testum.ssh.max-concurrency}, so one kind of work cannot starve another: a fleet run never
 * holds the slots that deployments and interactive calls need.
 */
public enum SshWork {
    /** authorized_keys deployments and drift checks: may take any free slot. */
    DEPLOYMENT,
    /** Ad-hoc runs: at most {@link SshConfig#runSlots()} at once. */
    RUN,
    /** test-ssh, host stats and containers, asked for by a person: at most {@code testum.ssh.interactive-concurrency}. */
    INTERACTIVE
}

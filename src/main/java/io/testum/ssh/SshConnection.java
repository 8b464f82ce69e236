package io.testum.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * One authenticated SSH connection: remote commands with separate output streams and a time
 * limit, and an account's files ({@link #files()}). Not thread-safe: one caller at a time.
 * Closing it frees its slot.
 */
public final class SshConnection implements AutoCloseable {

    /** Files larger than this are not what testum manages (an authorized_keys file is far smaller). */
    public static final int MAX_FILE_BYTES = 4 * 1024 * 1024;
    private static final Duration SIGNAL_GRACE = Duration.ofSeconds(2);
    /** The kill script waits a second between TERM and KILL. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final Duration CANCEL_CHECK = Duration.ofMillis(100);

    private final ClientSession session;
    private final SshTarget target;
    private final String hostKeyFingerprint;
    private final String loginKey;
    private final Runnable release;
    private final KeepFor keep;
    private final boolean reused;
    private final long loggedInAt;
    private final AtomicBoolean closed = new AtomicBoolean();

    SshConnection(ClientSession session, SshTarget target, String hostKeyFingerprint, String loginKey, Runnable release) {
        this(session, target, hostKeyFingerprint, loginKey, release, null, false, System.nanoTime());
    }

    SshConnection(ClientSession session, SshTarget target, String hostKeyFingerprint, String loginKey, Runnable release,
            KeepFor keep, boolean reused, long loggedInAt) {
        this.session = session;
        this.target = target;
        this.hostKeyFingerprint = hostKeyFingerprint;
        this.loginKey = loginKey;
        this.release = release;
        this.keep = keep;
        this.reused = reused;
        this.loggedInAt = loggedInAt;
    }

    /** When this connection logged in, as {@link System#nanoTime()}. */
    long loggedInAt() {
        return loggedInAt;
    }

    /**
     * Whether this connection was kept open from an earlier deployment rather than logged in
     * now: a command that fails on it says little about the host, and is tried again on a fresh login.
     */
    public boolean reused() {
        return reused;
    }

    /** For whom this connection may be kept after its work, or null. */
    KeepFor keep() {
        return keep;
    }

    /**
     * Hands the session over to be kept, without closing it: this object is closed from now on
     * and its slot is free. Null when the session is no longer open (then it is closed).
     */
    KeptConnections.Parked detach(KeptConnections.Identity identity) {
        if (!closed.compareAndSet(false, true)) {
            return null;
        }
        release.run();
        if (!session.isOpen()) {
            session.close(true);
            return null;
        }
        return new KeptConnections.Parked(identity, session, target, hostKeyFingerprint, loginKey, keep, loggedInAt);
    }

    /**
     * The public key testum logged in with, as {@code type base64} (no comment), or empty for a
     * password login.
     */
    public Optional<String> loginKey() {
        return Optional.ofNullable(loginKey);
    }

    /** Where this connection goes, with the host key it verified pinned. */
    public SshTarget target() {
        return new SshTarget(target.host(), target.port(), target.username(), target.auth(), hostKeyFingerprint);
    }

    /** The host key this connection verified, {@code SHA256:...}. */
    public String hostKeyFingerprint() {
        return hostKeyFingerprint;
    }

    /** The key exchange the two sides agreed on, e.g. {@code curve25519-sha256}. */
    String keyExchange() {
        return session.getNegotiatedKexParameter(org.apache.sshd.common.kex.KexProposalOption.ALGORITHMS);
    }

    /** The outcome of a command whose output went to the caller's streams. */
    public record ExecStatus(Integer exitCode, String exitSignal, boolean timedOut, boolean canceled) {
    }

    /**
     * Runs {@code command}, collecting at most {@code maxBytes} of each stream.
     */
    public ExecResult exec(String command, byte[] stdin, Duration timeout, int maxBytes) {
        CappedOutput out = new CappedOutput(maxBytes);
        CappedOutput err = new CappedOutput(maxBytes);
        ExecStatus status = exec(command, stdin, timeout, out, err, () -> false);
        return new ExecResult(status.exitCode(), out.toByteArray(), err.toByteArray(), status.timedOut());
    }

    /**
     * Runs {@code command} with stdout and stderr kept apart. When it runs longer than
     * {@code timeout}, or {@code canceled} turns true, testum signals it (TERM, then KILL) and
     * ends its processes from a second channel as well, for servers that ignore signals
     * ({@link RemoteProcess}); then it closes the channel.
     */
    public ExecStatus exec(String command, byte[] stdin, Duration timeout, OutputStream out, OutputStream err,
            BooleanSupplier canceled) {
        return exec(command, stdin, timeout, out, err, canceled, () -> { }, true);
    }

    /**
     * Runs {@code command}, keeping at most {@code maxStdout} and {@code maxStderr} bytes;
     * {@code whileSending} runs once {@code stdin} is sent, before the command sees its end. The
     * command runs as given, without the pid line (testum's own short commands, which must work
     * under any login shell); a timeout closes the channel after the signals.
     */
    ExecResult exec(String command, byte[] stdin, Duration timeout, int maxStdout, int maxStderr, Runnable whileSending) {
        CappedOutput out = new CappedOutput(maxStdout);
        CappedOutput err = new CappedOutput(maxStderr);
        ExecStatus status = exec(command, stdin, timeout, out, err, () -> false, whileSending, false);
        return new ExecResult(status.exitCode(), out.toByteArray(), err.toByteArray(), status.timedOut());
    }

    private ExecStatus exec(String command, byte[] stdin, Duration timeout, OutputStream out, OutputStream err,
            BooleanSupplier canceled, Runnable whileSending, boolean trackProcess) {
        RemoteProcess process = new RemoteProcess();
        RemoteProcess.PidFilter stdout = process.filter(out);
        try (ChannelExec channel = session.createExecChannel(trackProcess ? process.wrap(command) : command)) {
            channel.setOut(trackProcess ? stdout : out);
            channel.setErr(err);
            channel.open().verify(timeout.toMillis());
            try (OutputStream in = channel.getInvertedIn()) {
                if (stdin != null && stdin.length > 0) {
                    in.write(stdin);
                    in.flush();
                }
                whileSending.run();
            } catch (IOException stoppedReading) {
                // The command ended before it read all of its input (one that refuses does):
                // its exit status below says why.
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0 || canceled.getAsBoolean()) {
                    stop(channel, stdout.pid());
                    return new ExecStatus(channel.getExitStatus(), channel.getExitSignal(), left <= 0, left > 0);
                }
                Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED),
                        Math.min(left, CANCEL_CHECK.toMillis()));
                if (events.contains(ClientChannelEvent.CLOSED)) {
                    return new ExecStatus(channel.getExitStatus(), channel.getExitSignal(), false, false);
                }
            }
        } catch (IOException e) {
            throw failure("The command failed to run", e);
        } finally {
            try {
                stdout.flush();
            } catch (IOException ignored) {
                // the caller's stream is gone; nothing more to pass on
            }
        }
    }

    /**
     * Ends the remote command's processes from a second channel (the process group or tree of
     * {@code pid}: TERM, then KILL), before any signal could end the shell and leave its children
     * to init; then signals the command (TERM) for servers where the pid is unknown, and closes the
     * channel, signalling KILL first when it is still open.
     */
    private void stop(ChannelExec channel, Long pid) throws IOException {
        if (pid != null) {
            kill(pid);
        }
        signal(channel, "TERM");
        Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), SIGNAL_GRACE.toMillis());
        if (!events.contains(ClientChannelEvent.CLOSED)) {
            signal(channel, "KILL");
            channel.close(false).await(SIGNAL_GRACE.toMillis());
        }
    }

    /** Runs {@link RemoteProcess#killScript} for {@code pid}: works where the server ignores signal requests. */
    private void kill(long pid) {
        try (ChannelExec kill = session.createExecChannel(RemoteProcess.killScript(pid))) {
            kill.setOut(OutputStream.nullOutputStream());
            kill.setErr(OutputStream.nullOutputStream());
            kill.open().verify(KILL_WAIT.toMillis());
            kill.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), KILL_WAIT.toMillis());
        } catch (IOException | RuntimeException e) {
            // the session is going away: closing the channel and the connection follows
        }
    }

    /** Sends an RFC 4254 "signal" request; OpenSSH delivers it to a command without a terminal. */
    private void signal(ChannelExec channel, String name) {
        try {
            Buffer buffer = session.createBuffer(SshConstants.SSH_MSG_CHANNEL_REQUEST, 32);
            buffer.putUInt(channel.getRecipient());
            buffer.putString("signal");
            buffer.putBoolean(false);
            buffer.putString(name);
            channel.writePacket(buffer);
        } catch (IOException | RuntimeException e) {
            // the channel is going away; closing it follows
        }
    }

    /**
     * The login account's (or, as root, another account's) files through the host's shell: the
     * way testum reads and writes authorized_keys. Needs nothing on the host but {@code sh}.
     */
    public RemoteFiles files() {
        return new ShellFiles(this);
    }

    /** The MINA session, for other ways to reach files in tests and benchmarks of this package. */
    ClientSession session() {
        return session;
    }

    SshFailure failure(String what, Exception e) {
        if (!session.isOpen()) {
            return new SshFailure(SshFailure.Kind.UNREACHABLE, what + ": the connection was lost ("
                    + SshConnector.message(e) + ")", e);
        }
        return new SshFailure(SshFailure.Kind.FAILED, what + ": " + SshConnector.message(e), e);
    }

    public boolean isOpen() {
        return session.isOpen() && !closed.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // The slot is free as soon as testum is done; the goodbye to the server needs none.
        release.run();
        try {
            session.close(false);
        } catch (RuntimeException ignored) {
            session.close(true);
        }
    }

    /** Keeps at most {@code max} bytes, counting the rest. */
    static final class CappedOutput extends ByteArrayOutputStream {
        private final int max;
        private long dropped;

        CappedOutput(int max) {
            this.max = max;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int room = Math.max(0, max - count);
            int keep = Math.min(room, len);
            super.write(b, off, keep);
            dropped += len - keep;
        }

        @Override
        public synchronized void write(int b) {
            if (count < max) {
                super.write(b);
            } else {
                dropped++;
            }
        }

        boolean truncated() {
            return dropped > 0;
        }
    }
}

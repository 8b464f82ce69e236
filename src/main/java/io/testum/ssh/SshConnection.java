package io.testum.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * One authenticated SSH connection: remote commands with separate output streams and a time
 * limit, and file operations over SFTP, including an atomic replace (temporary file in the same
 * directory, then {@code posix-rename@openssh.com} over the target). Not thread-safe: one caller
 * at a time. Closing it frees its slot.
 */
public final class SshConnection implements AutoCloseable {

    /** Files larger than this are not what testum manages (an authorized_keys file is far smaller). */
    public static final int MAX_FILE_BYTES = 4 * 1024 * 1024;
    private static final Duration SIGNAL_GRACE = Duration.ofSeconds(2);
    private static final Duration CANCEL_CHECK = Duration.ofMillis(100);
    private static final String TEMP_MARKER = ".testum-";

    private final ClientSession session;
    private final SshTarget target;
    private final String hostKeyFingerprint;
    private final Runnable release;
    private final AtomicBoolean closed = new AtomicBoolean();
    private SftpClient sftp;

    SshConnection(ClientSession session, SshTarget target, String hostKeyFingerprint, Runnable release) {
        this.session = session;
        this.target = target;
        this.hostKeyFingerprint = hostKeyFingerprint;
        this.release = release;
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
     * closes the channel.
     */
    public ExecStatus exec(String command, byte[] stdin, Duration timeout, OutputStream out, OutputStream err,
            BooleanSupplier canceled) {
        try (ChannelExec channel = session.createExecChannel(command)) {
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(timeout.toMillis());
            try (OutputStream in = channel.getInvertedIn()) {
                if (stdin != null && stdin.length > 0) {
                    in.write(stdin);
                }
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0 || canceled.getAsBoolean()) {
                    stop(channel);
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
        }
    }

    /** Signals the remote command (TERM, then KILL) and closes the channel. */
    private void stop(ChannelExec channel) throws IOException {
        signal(channel, "TERM");
        Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), SIGNAL_GRACE.toMillis());
        if (!events.contains(ClientChannelEvent.CLOSED)) {
            signal(channel, "KILL");
            channel.close(false).await(SIGNAL_GRACE.toMillis());
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

    /** The login user's home directory, as the SFTP server resolves it. */
    public String home() {
        try {
            return sftp().canonicalPath(".");
        } catch (IOException e) {
            throw failure("Cannot resolve the home directory", e);
        }
    }

    /** Reads a file; an absent file reads as {@link RemoteFile#exists()} false. */
    public RemoteFile read(String path) {
        try {
            SftpClient.Attributes attributes;
            try {
                attributes = sftp().stat(path);
            } catch (SftpException e) {
                if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                    return RemoteFile.absent(path);
                }
                throw e;
            }
            if (!attributes.isRegularFile()) {
                throw new SshFailure(SshFailure.Kind.FAILED, path + " is not a regular file");
            }
            if (attributes.getSize() > MAX_FILE_BYTES) {
                throw new SshFailure(SshFailure.Kind.FAILED, path + " holds " + attributes.getSize()
                        + " bytes; testum does not manage files over " + MAX_FILE_BYTES);
            }
            byte[] content;
            try (InputStream in = sftp().read(path)) {
                content = in.readNBytes(MAX_FILE_BYTES + 1);
            }
            long modified = attributes.getModifyTime() == null ? 0 : attributes.getModifyTime().toMillis() / 1000;
            return new RemoteFile(path, true, content, attributes.getPermissions() & 07777, modified, attributes.getUserId());
        } catch (IOException e) {
            throw failure("Cannot read " + path, e);
        }
    }

    /**
     * Creates {@code path}, and any missing parent, with {@code mode}; existing directories are
     * left as they are. Returns whether {@code path} itself was created.
     */
    public boolean ensureDirectory(String path, int mode) {
        try {
            try {
                SftpClient.Attributes attributes = sftp().stat(path);
                if (!attributes.isDirectory()) {
                    throw new SshFailure(SshFailure.Kind.FAILED, path + " exists and is not a directory");
                }
                return false;
            } catch (SftpException e) {
                if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
                    throw e;
                }
            }
            int slash = path.lastIndexOf('/');
            if (slash > 0) {
                ensureDirectory(path.substring(0, slash), mode);
            }
            sftp().mkdir(path);
            sftp().setStat(path, new SftpClient.Attributes().perms(mode));
            return true;
        } catch (IOException e) {
            throw failure("Cannot create the directory " + path, e);
        }
    }

    /**
     * Replaces {@code path} atomically: writes {@code content} to a temporary file beside it with
     * {@code mode}, calls {@code beforeRename} with the temporary path (it may check the target
     * again and throw to abandon the write), then renames the temporary file over the target. On
     * any failure the temporary file is removed if the connection still allows it, and the target
     * is as it was.
     */
    public void writeAtomically(String path, byte[] content, int mode, Consumer<String> beforeRename) {
        String temp = tempName(path);
        try {
            try (SftpClient.CloseableHandle handle = sftp().open(temp,
                    EnumSet.of(SftpClient.OpenMode.Create, SftpClient.OpenMode.Write, SftpClient.OpenMode.Exclusive))) {
                sftp().setStat(handle, new SftpClient.Attributes().perms(mode));
                sftp().write(handle, 0, content);
            }
            beforeRename.accept(temp);
            OpenSSHPosixRenameExtension rename = sftp().getExtension(OpenSSHPosixRenameExtension.class);
            if (rename == null || !rename.isSupported()) {
                throw new SshFailure(SshFailure.Kind.FAILED, "The SFTP server offers no atomic rename "
                        + "(posix-rename@openssh.com); testum does not replace files without one");
            }
            rename.posixRename(temp, path);
        } catch (IOException e) {
            removeQuietly(temp);
            throw failure("Cannot replace " + path, e);
        } catch (RuntimeException e) {
            removeQuietly(temp);
            throw e;
        }
    }

    /** Removes temporary files an interrupted {@link #writeAtomically} left beside {@code path}. */
    public int removeLeftovers(String path) {
        int slash = path.lastIndexOf('/');
        String dir = slash < 0 ? "." : (slash == 0 ? "/" : path.substring(0, slash));
        String prefix = "." + path.substring(slash + 1) + TEMP_MARKER;
        int removed = 0;
        try {
            for (SftpClient.DirEntry entry : sftp().readDir(dir)) {
                if (entry.getFilename().startsWith(prefix)) {
                    sftp().remove(dir + "/" + entry.getFilename());
                    removed++;
                }
            }
        } catch (IOException e) {
            throw failure("Cannot list " + dir, e);
        }
        return removed;
    }

    /** Removes a file; an absent one is fine. */
    public void remove(String path) {
        try {
            sftp().remove(path);
        } catch (SftpException e) {
            if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
                throw failure("Cannot remove " + path, e);
            }
        } catch (IOException e) {
            throw failure("Cannot remove " + path, e);
        }
    }

    private void removeQuietly(String path) {
        try {
            if (session.isOpen()) {
                sftp().remove(path);
            }
        } catch (IOException | RuntimeException ignored) {
            // a dead connection leaves it; removeLeftovers cleans up on the next deployment
        }
    }

    static String tempName(String path) {
        int slash = path.lastIndexOf('/');
        String dir = slash < 0 ? "" : path.substring(0, slash + 1);
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        return dir + "." + path.substring(slash + 1) + TEMP_MARKER + HexFormat.of().formatHex(random);
    }

    private SftpClient sftp() throws IOException {
        if (sftp == null) {
            sftp = SftpClientFactory.instance().createSftpClient(session);
        }
        return sftp;
    }

    private SshFailure failure(String what, Exception e) {
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
            if (sftp != null) {
                sftp.close();
            }
        } catch (IOException | RuntimeException ignored) {
            // closing the session below ends it anyway
        } finally {
            try {
                session.close(false);
            } catch (RuntimeException ignored) {
                session.close(true);
            }
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

package io.testum.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.function.BiFunction;

import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * {@link RemoteFiles} through the SFTP subsystem, as testum wrote authorized_keys before it used the
 * shell: stat and read; create missing directories; remove leftovers; write a temporary file;
 * read the target again and, if it is unchanged, {@code posix-rename@openssh.com} it over the
 * target. About 45 round trips per deployment where the shell needs about 20, a window between
 * the check and the rename, no way to act as another account (it serves the login account only,
 * and refuses symbolic links), and a subsystem many hosts do not have. It did not pay (README,
 * "Benchmark: deploying a changed block"), so the service does not use it; the benchmark does,
 * to compare.
 */
public final class SftpFiles implements RemoteFiles {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int DIRECTORY_MODE = 0700;
    private static final int FILE_MODE = 0600;

    private final ClientSession session;
    private final BiFunction<String, Exception, SshFailure> failure;
    private SftpClient sftp;

    private SftpFiles(ClientSession session, BiFunction<String, Exception, SshFailure> failure) {
        this.session = session;
        this.failure = failure;
    }

    /** The files of the connection's login account over SFTP. */
    public static RemoteFiles over(SshConnection connection) {
        return new SftpFiles(connection.session(), connection::failure);
    }

    @Override
    public RemoteFile read(FileLocation location) {
        String path = path(location);
        try {
            SftpClient.Attributes attributes;
            try {
                attributes = sftp().lstat(path);
            } catch (SftpException e) {
                if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                    return RemoteFile.absent(location.path());
                }
                throw e;
            }
            if (attributes.isSymbolicLink()) {
                throw new SshFailure(SshFailure.Kind.REFUSED, location.path() + " is a symbolic link; testum does not read "
                        + "or write through a link");
            }
            if (!attributes.isRegularFile()) {
                throw new SshFailure(SshFailure.Kind.REFUSED, location.path() + " is not a regular file");
            }
            if (attributes.getSize() > SshConnection.MAX_FILE_BYTES) {
                throw new SshFailure(SshFailure.Kind.FAILED, location.path() + " holds more than " + SshConnection.MAX_FILE_BYTES
                        + " bytes; testum does not manage files that large");
            }
            try (InputStream in = sftp().read(path)) {
                return new RemoteFile(location.path(), true, in.readNBytes(SshConnection.MAX_FILE_BYTES + 1));
            }
        } catch (IOException e) {
            throw failure.apply("Cannot read " + location.path(), e);
        }
    }

    @Override
    public Outcome replace(FileLocation location, RemoteFile expected, byte[] content, Runnable whileSending) {
        String path = path(location);
        ensureDirectory(location.directory());
        removeLeftovers(location);
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        String temp = location.directory() + "/." + location.name() + ShellScripts.TEMP_MARKER + HexFormat.of().formatHex(random);
        try {
            try (SftpClient.CloseableHandle handle = sftp().open(temp,
                    EnumSet.of(SftpClient.OpenMode.Create, SftpClient.OpenMode.Write, SftpClient.OpenMode.Exclusive))) {
                sftp().setStat(handle, new SftpClient.Attributes().perms(FILE_MODE));
                sftp().write(handle, 0, content);
            }
            whileSending.run();
            if (!read(location).sameAs(expected)) {
                removeQuietly(temp);
                return Outcome.CHANGED;
            }
            OpenSSHPosixRenameExtension rename = sftp().getExtension(OpenSSHPosixRenameExtension.class);
            if (rename == null || !rename.isSupported()) {
                throw new SshFailure(SshFailure.Kind.FAILED, "The SFTP server offers no atomic rename "
                        + "(posix-rename@openssh.com); testum does not replace files without one");
            }
            rename.posixRename(temp, path);
            return Outcome.REPLACED;
        } catch (IOException e) {
            removeQuietly(temp);
            throw failure.apply("Cannot replace " + location.path(), e);
        } catch (RuntimeException e) {
            removeQuietly(temp);
            throw e;
        }
    }

    @Override
    public Outcome remove(FileLocation location, RemoteFile expected) {
        if (!read(location).sameAs(expected)) {
            return Outcome.CHANGED;
        }
        try {
            sftp().remove(path(location));
        } catch (SftpException e) {
            if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
                throw failure.apply("Cannot remove " + location.path(), e);
            }
        } catch (IOException e) {
            throw failure.apply("Cannot remove " + location.path(), e);
        }
        return Outcome.REPLACED;
    }

    private static String path(FileLocation location) {
        if (location.switchUser()) {
            throw new SshFailure(SshFailure.Kind.REFUSED, "SFTP cannot act as " + location.account()
                    + "; testum works on another account's files through the shell only");
        }
        return location.shellPath();
    }

    private void ensureDirectory(String path) {
        try {
            try {
                SftpClient.Attributes attributes = sftp().lstat(path);
                if (!attributes.isDirectory()) {
                    throw new SshFailure(SshFailure.Kind.REFUSED, path + " exists and is not a directory");
                }
                return;
            } catch (SftpException e) {
                if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
                    throw e;
                }
            }
            int slash = path.lastIndexOf('/');
            if (slash > 0) {
                ensureDirectory(path.substring(0, slash));
            }
            sftp().mkdir(path);
            sftp().setStat(path, new SftpClient.Attributes().perms(DIRECTORY_MODE));
        } catch (IOException e) {
            throw failure.apply("Cannot create the directory " + path, e);
        }
    }

    private void removeLeftovers(FileLocation location) {
        String dir = location.directory();
        String prefix = "." + location.name() + ShellScripts.TEMP_MARKER;
        try {
            for (SftpClient.DirEntry entry : sftp().readDir(dir)) {
                if (entry.getFilename().startsWith(prefix)) {
                    sftp().remove(dir + "/" + entry.getFilename());
                }
            }
        } catch (IOException e) {
            throw failure.apply("Cannot list " + dir, e);
        }
    }

    private void removeQuietly(String path) {
        try {
            if (session.isOpen()) {
                sftp().remove(path);
            }
        } catch (IOException | RuntimeException ignored) {
            // a dead connection leaves it; the next write removes it
        }
    }

    private SftpClient sftp() throws IOException {
        if (sftp == null) {
            sftp = SftpClientFactory.instance().createSftpClient(session);
        }
        return sftp;
    }
}

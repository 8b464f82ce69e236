package io.testum.deploy;

import jakarta.enterprise.context.ApplicationScoped;

import io.testum.ssh.RemoteFiles;
import io.testum.ssh.SshConnection;

/**
 * How deployments reach the files on a connection: through the host's shell, which every kind of
 * host has (OpenSSH, dropbear, BusyBox) and which works as another account. A seam, like
 * {@link DeploymentHooks}: the benchmark swaps in the SFTP subsystem to compare the two.
 */
@ApplicationScoped
public class FileTransport {

    public RemoteFiles files(SshConnection connection) {
        return connection.files();
    }
}

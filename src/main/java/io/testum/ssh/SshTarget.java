package io.testum.ssh;

/**
 * Where and as whom to connect.
 *
 * @param pinnedHostKey the SHA256 fingerprint the host must present, or null to accept (and report) any
 */
public record SshTarget(String host, int port, String username, SshAuth auth, String pinnedHostKey) {

    /** host:port as an operator writes it. */
    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return username + "@" + address();
    }
}

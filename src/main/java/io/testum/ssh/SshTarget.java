package io.testum.ssh;

/**
 * Where and as whom to connect.
 *
 * @param pinnedHostKey the SHA256 fingerprint the host must present, or null to leave the decision to {@code gate}
 * @param gate          decides on the presented key when {@code pinnedHostKey} is null; null: no key is trusted
 *                      for a password, and any key is accepted (and reported) for a key login
 */
public record SshTarget(String host, int port, String username, SshAuth auth, String pinnedHostKey, HostKeyGate gate) {

    /** A target whose host key is fixed (or, with null, reported but not checked). */
    public SshTarget(String host, int port, String username, SshAuth auth, String pinnedHostKey) {
        this(host, port, username, auth, pinnedHostKey, null);
    }

    /** host:port as an operator writes it. */
    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return username + "@" + address();
    }
}

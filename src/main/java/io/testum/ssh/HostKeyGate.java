package io.testum.ssh;

/**
 * Decides whether the key a host presented may be trusted, after key exchange and before any
 * credential is sent. It may record the key (a pin at first contact) before answering.
 */
@FunctionalInterface
public interface HostKeyGate {

    /** How far the presented key may be trusted. */
    enum Verdict {
        /** The key matches a pin (or was pinned now); good for key logins, not for sending a password. */
        PINNED,
        /** The key matches a pin an admin or a GitOps source vouched for: a password may be sent to it. */
        TRUSTED
    }

    /**
     * @param fingerprint the presented key, {@code SHA256:...}
     * @throws SshFailure to refuse the key (usually {@link SshFailure.Kind#HOST_KEY_MISMATCH})
     */
    Verdict admit(String fingerprint);
}

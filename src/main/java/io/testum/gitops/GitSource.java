package io.testum.gitops;

import java.time.Duration;

/**
 * A GitOps source as stored: where its document lives, how to reach it, and its sealed secrets.
 *
 * @param origin     {@code config} for the default source, {@code api} for the others
 * @param hostKey    the SSH host key an admin declared for an {@code ssh://} URL ({@code SHA256:...}), or null
 * @param sshHostKey the SSH host key pinned at first contact, or null
 */
public record GitSource(long id, String name, String origin, String url, String branch, String path, Duration interval,
        boolean prune, boolean suspended, String username, byte[] token, String credential, byte[] webhookSecret,
        String hostKey, String sshHostKey, String lastFetchedRevision, String lastAppliedRevision, boolean ready, ReconcileReason reason,
        int failures) {

    public static final String DEFAULT = "default";

    /** The associated data that binds a source's sealed values to it. */
    static String purpose(String name, String what) {
        return "gitops-source:" + name + ":" + what;
    }

    @Override
    public String toString() {
        return "GitSource[" + name + ", " + GitUrls.mask(url) + "@" + branch + "]";
    }
}

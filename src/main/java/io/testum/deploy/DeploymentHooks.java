package io.testum.deploy;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Points in a deployment where tests step in, as faults would: a concurrent edit or a swapped
 * temporary file before the rename, a host that rejects the new file after it, a host that comes
 * back before the old file is put back. The application's own hooks do nothing.
 */
@ApplicationScoped
public class DeploymentHooks {

    /**
     * While the new content is on its way to the host: the temporary file beside {@code path}
     * exists or is about to, and nothing has been renamed yet.
     */
    public void beforeRename(String platform, String account, String path) {
    }

    /** After the new file is in place, before testum proves that it can still log in and read it. */
    public void afterWrite(String platform, String account, String path) {
    }

    /** After that proof failed, before testum puts the previous file back. */
    public void beforeRestore(String platform, String account, String path) {
    }
}

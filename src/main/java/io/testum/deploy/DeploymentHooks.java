package io.testum.deploy;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Points in a deployment where tests step in, as faults would: a concurrent edit before the
 * rename, a host that rejects the new file after it. The application's own hooks do nothing.
 */
@ApplicationScoped
public class DeploymentHooks {

    /** After the temporary file is written and before it is renamed over {@code path}. */
    public void beforeRename(String platform, String account, String path) {
    }

    /** After the new file is in place, before testum checks that it can still log in. */
    public void afterWrite(String platform, String account, String path) {
    }
}

package io.testum.deploy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A deployment record as stored.
 *
 * @param hold why the pair is held back (its status is then failed), or null
 */
public record DeploymentRecord(long platformId, String platform, String account, String path, boolean exclusive,
        DeploymentStatus status, List<String> keys, String desiredContent, String desiredHash, String deployedHash,
        Instant lastAttemptAt, Instant lastSuccessAt, String lastError, Map<String, Object> driftedLines,
        DeploymentHold hold) {

    public DesiredState.Pair pair() {
        return new DesiredState.Pair(platformId, account);
    }
}

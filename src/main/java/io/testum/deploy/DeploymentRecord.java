package io.testum.deploy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.testum.inventory.InventoryChanged;

/**
 * A deployment record as stored.
 *
 * @param hold           why the pair is held back (its status is then failed), or null
 * @param desiredKeys    the desired block's keys by name and fingerprint (empty until first computed)
 * @param desiredChanges the changes behind the desired block, oldest first, for the access history
 */
public record DeploymentRecord(long platformId, String platform, String account, String path, boolean exclusive,
        DeploymentStatus status, List<String> keys, String desiredContent, String desiredHash, String deployedHash,
        Instant lastAttemptAt, Instant lastSuccessAt, String lastError, Map<String, Object> driftedLines,
        DeploymentHold hold, List<BlockKey> desiredKeys, List<InventoryChanged.Cause> desiredChanges) {

    public DesiredState.Pair pair() {
        return new DesiredState.Pair(platformId, account);
    }
}

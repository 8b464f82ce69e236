package io.testum.deploy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code GET /api/platforms/{name}/authorized-keys}: each managed account's deployment. */
public record AuthorizedKeysView(String platform, List<Deployment> deployments) {

    /**
     * One (platform, account) pair.
     *
     * @param keys         the names of the keys its block holds ({@code testum:<credential>} is testum's own)
     * @param driftedLines what differed on the host at the last drift check: lines {@code added} there and
     *                     {@code removed} there, compared with the block testum deployed
     */
    public record Deployment(String user, String path, List<String> keys, DeploymentStatus status, String desiredHash,
            String deployedHash, Instant lastAttemptAt, Instant lastSuccessAt, String error, Map<String, Object> driftedLines) {
    }

    static AuthorizedKeysView of(String platform, List<DeploymentRecord> records) {
        return new AuthorizedKeysView(platform, records.stream().map(r -> new Deployment(r.account(), r.path(), r.keys(),
                r.status(), r.desiredHash(), r.deployedHash(), r.lastAttemptAt(), r.lastSuccessAt(), r.lastError(),
                r.driftedLines())).toList());
    }
}

package io.testum.inventory;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** A platform as the API shows it. */
public record PlatformView(
        String name,
        String host,
        int port,
        String username,
        String authMethod,
        String credential,
        String hostKey,
        Map<String, String> labels,
        String authorizedKeysPath,
        String authorizedKeysMode,
        String description,
        String source,
        String sourceRevision,
        Instant createdAt,
        Instant updatedAt,
        Reachability reachability,
        Instant lastSeenAt,
        Integer latencyMs) {

    static PlatformView of(Platform p) {
        return new PlatformView(p.name, p.host, p.port, p.username, p.authMethod, p.credentialName, p.hostKey,
                new TreeMap<>(p.labels), p.authorizedKeysPath, p.authorizedKeysMode, p.description, p.source,
                p.sourceRevision, p.createdAt, p.updatedAt, Reachability.of(p.reachability), p.lastSeenAt, p.latencyMs);
    }
}

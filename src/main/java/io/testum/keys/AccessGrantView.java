package io.testum.keys;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An access grant as the API shows it; {@code expired} grants no longer put keys anywhere. */
public record AccessGrantView(
        String name,
        List<String> keys,
        List<String> platforms,
        Map<String, String> selector,
        String user,
        String options,
        Instant expires,
        boolean expired,
        String description,
        String source,
        String sourceRevision,
        Instant createdAt,
        Instant updatedAt) {

    static AccessGrantView of(AccessGrant g, Instant now) {
        return new AccessGrantView(g.name,
                g.keys.stream().map(AccessGrant.Member::name).sorted().toList(),
                g.platforms.stream().map(AccessGrant.Member::name).sorted().toList(),
                g.selector == null ? null : new TreeMap<>(g.selector),
                g.loginUser, g.options, g.expiresAt, g.expiresAt != null && !g.expiresAt.isAfter(now),
                g.description, g.source, g.sourceRevision, g.createdAt, g.updatedAt);
    }
}

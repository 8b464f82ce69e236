package io.testum.inventory;

import java.util.Map;

/**
 * A platform as the API receives it. On update, the name comes from the path; a name in the body
 * must match it.
 */
public record PlatformRequest(
        String name,
        String host,
        Integer port,
        String username,
        String authMethod,
        String credential,
        String hostKey,
        Map<String, String> labels,
        String authorizedKeysPath,
        String authorizedKeysMode,
        String description) {
}

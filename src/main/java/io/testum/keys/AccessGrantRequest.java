package io.testum.keys;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An access grant as the API receives it. */
public record AccessGrantRequest(
        String name,
        List<String> keys,
        List<String> platforms,
        Map<String, String> selector,
        String user,
        String options,
        Instant expires,
        String description) {
}

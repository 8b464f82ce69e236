package io.testum.alerts;

import java.util.List;
import java.util.Map;

/**
 * An alert as the API answers it. Never the secret, and never the whole URL: {@code url} shows the
 * scheme, host and port only ({@code https://hooks.slack.com/…}); {@code secret_set} says whether
 * a signing secret is stored.
 */
public record AlertView(String name, String type, String url, boolean secretSet, List<String> events,
        Map<String, String> selector, boolean enabled, String source) {
}

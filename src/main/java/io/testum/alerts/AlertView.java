package io.testum.alerts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An alert as the API answers it. Never the secret, and never the whole URL: {@code url} shows the
 * scheme, host and port only ({@code https://hooks.slack.com/…}); {@code secret_set} says whether
 * a signing secret is stored. {@code waiting_for} names what the alert still lacks before it sends
 * anything ({@code url}, {@code secret}): a GitOps document gives neither a signing secret nor,
 * if it chooses, the URL, and the API sets them.
 */
public record AlertView(String name, String type, String url, boolean secretSet, List<String> events,
        Map<String, String> selector, boolean enabled, String source, List<String> waitingFor) {

    /** The view, with what it waits for worked out from the rest. */
    static AlertView of(String name, String type, String url, boolean secretSet, List<String> events,
            Map<String, String> selector, boolean enabled, String source) {
        List<String> waiting = new ArrayList<>();
        if (url == null) {
            waiting.add("url");
        }
        if (AlertType.WEBHOOK.wire().equals(type) && !secretSet) {
            waiting.add("secret");
        }
        return new AlertView(name, type, url, secretSet, events, selector, enabled, source, List.copyOf(waiting));
    }

    /** Enabled, and lacking nothing it needs to send. */
    boolean sends() {
        return enabled && waitingFor.isEmpty();
    }
}

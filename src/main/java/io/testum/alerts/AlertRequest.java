package io.testum.alerts;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/alerts} and {@code PUT /api/alerts/{name}}. On an update, an absent {@code url}
 * or {@code secret} keeps the stored one (neither is ever shown again).
 */
public record AlertRequest(String name, String type, String url, String secret, List<String> events,
        Map<String, String> selector, Boolean enabled) {

    @Override
    public String toString() {
        return "AlertRequest[name=" + name + ", type=" + type + ", events=" + events + ", selector=" + selector + "]";
    }
}

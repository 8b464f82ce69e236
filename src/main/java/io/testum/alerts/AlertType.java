package io.testum.alerts;

import java.util.Arrays;

/** Where an alert is sent, and in which form. */
enum AlertType {
    /** A JSON body, signed with HMAC-SHA256 in {@code X-Testum-Signature}. */
    WEBHOOK("webhook"),
    /** A Slack-compatible incoming webhook: {@code {"text": ...}}; the URL is the secret. */
    SLACK("slack");

    private final String wire;

    AlertType(String wire) {
        this.wire = wire;
    }

    String wire() {
        return wire;
    }

    static AlertType of(String wire) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(wire)).findFirst().orElse(null);
    }
}

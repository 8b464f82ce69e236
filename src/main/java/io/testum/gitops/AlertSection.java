package io.testum.gitops;

import java.util.List;
import java.util.Map;

import io.testum.alerts.AlertDirectory;
import io.testum.common.Names;
import io.testum.common.Violations;
import io.testum.gitops.DesiredDocument.AlertEntry;

/**
 * An entry of {@code alerts}: where to send which events. The type, the events and the selector are
 * checked as the entry is read; where the URL may point depends on configuration and is checked by
 * the planner, by the API's rule. A signing secret is never read from Git, where it would be in the
 * clear: the API sets it ({@code PUT /api/alerts/{name}}), and may set the URL too when the document
 * leaves it out (a Slack URL is its own secret). Problems never echo a URL.
 */
final class AlertSection {

    static final List<String> FIELDS = List.of("name", "type", "url", "events", "selector", "enabled");

    private AlertSection() {
    }

    static AlertEntry read(Fields fields) {
        fields.rejectUnknown(FIELDS, Map.of("secret", "is not read from Git, where it would be in the clear; set the "
                + "signing secret through the API (PUT /api/alerts/{name} {\"secret\": ...}) once the alert exists"));
        String name = fields.text("name");
        String type = fields.text("type");
        List<String> events = fields.list("events", "event names, e.g. [deployment.failed, run.failed]");
        Map<String, String> selector = fields.map("selector", "label keys to values that the event's platforms must carry, e.g. {env: prod}");
        Violations violations = new Violations();
        Names.checkObjectName(name, "name", violations);
        AlertDirectory.checkEntry(type, events, selector, violations);
        fields.report(violations);
        return new AlertEntry(name, type, fields.text("url"), events, selector, fields.bool("enabled"), fields.where());
    }
}

package io.testum.gitops;

import java.util.List;

import io.testum.common.Violations;
import io.testum.gitops.DesiredDocument.AccessEntry;
import io.testum.keys.AccessGrantRequest;
import io.testum.keys.AccessGrantRules;

/**
 * An entry of {@code access}: which keys may log in on which platforms, checked by the same rules as
 * the API's. Whether the named keys and platforms exist is the planner's to check.
 */
final class AccessSection {

    static final List<String> FIELDS = List.of("name", "keys", "platforms", "selector", "user", "options",
            "expires", "description");

    private AccessSection() {
    }

    static AccessEntry read(Fields fields) {
        fields.rejectUnknown(FIELDS);
        AccessGrantRequest request = new AccessGrantRequest(
                fields.text("name"),
                fields.list("keys", "key names, e.g. [alice, bob]"),
                fields.list("platforms", "platform names, e.g. [web-01, web-02]"),
                fields.map("selector", "label keys to values that platforms must all carry, e.g. {role: web}"),
                fields.text("user"),
                fields.text("options"),
                fields.instant("expires"),
                fields.text("description"));
        Violations violations = new Violations();
        AccessGrantRules.check(request, violations);
        fields.report(violations);
        return new AccessEntry(request, fields.where());
    }
}

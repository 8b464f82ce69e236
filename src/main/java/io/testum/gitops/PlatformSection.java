package io.testum.gitops;

import java.util.List;
import java.util.Map;

import io.testum.common.Violations;
import io.testum.gitops.DesiredDocument.PlatformEntry;
import io.testum.inventory.PlatformRequest;
import io.testum.inventory.PlatformRules;

/**
 * An entry of {@code platforms}, checked by the same rules as the API's. {@code ssh_key_name}, the
 * earlier format's name of {@code credential}, is read as {@code credential}.
 */
final class PlatformSection {

    static final String CREDENTIAL = "credential";
    static final String OLD_CREDENTIAL = "ssh_key_name";
    static final List<String> FIELDS = List.of("name", "host", "port", "username", "auth_method", CREDENTIAL,
            OLD_CREDENTIAL, "host_key", "labels", "authorized_keys_path", "authorized_keys_mode", "description");

    private PlatformSection() {
    }

    static PlatformEntry read(Fields fields) {
        fields.rejectUnknown(FIELDS);
        Integer port = fields.integer("port");
        Map<String, String> labels = fields.map("labels", "label keys to values, e.g. {env: prod, role: web}");
        PlatformRequest request = new PlatformRequest(
                fields.text("name"),
                fields.text("host"),
                port == null ? PlatformRules.DEFAULT_PORT : port,
                fields.text("username"),
                fields.text("auth_method"),
                credential(fields),
                fields.text("host_key"),
                labels,
                fields.text("authorized_keys_path"),
                fields.text("authorized_keys_mode"),
                fields.text("description"));
        Violations violations = new Violations();
        PlatformRules.check(request, violations);
        fields.report(violations);
        return new PlatformEntry(request, fields.where(), fields.has(OLD_CREDENTIAL) && !fields.has(CREDENTIAL));
    }

    /** {@code credential}, or else {@code ssh_key_name}; both at once is a problem. */
    private static String credential(Fields fields) {
        if (!fields.has(OLD_CREDENTIAL)) {
            return fields.text(CREDENTIAL);
        }
        if (fields.has(CREDENTIAL)) {
            fields.error(fields.keyAt(OLD_CREDENTIAL), OLD_CREDENTIAL + ": is the earlier name of " + CREDENTIAL
                    + "; give one of them, not both");
            return fields.text(CREDENTIAL);
        }
        return fields.text(OLD_CREDENTIAL, CREDENTIAL);
    }
}

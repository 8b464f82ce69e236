package io.testum.gitops;

import java.util.List;

import io.testum.common.Violations;
import io.testum.gitops.DesiredDocument.KeyEntry;
import io.testum.keys.KeyRequest;
import io.testum.keys.KeyRules;
import io.testum.ssh.PublicKeyInfo;

/** An entry of {@code ssh_keys}: a public key to grant, checked by the same rules as the API's. */
final class KeySection {

    static final List<String> FIELDS = List.of("name", "public_key", "description");

    private KeySection() {
    }

    static KeyEntry read(Fields fields) {
        fields.rejectUnknown(FIELDS);
        KeyRequest request = new KeyRequest(fields.text("name"), fields.text("public_key"), fields.text("description"));
        Violations violations = new Violations();
        PublicKeyInfo parsed = KeyRules.check(request, violations);
        fields.report(violations);
        return new KeyEntry(request.name(), request.publicKey(), request.description(), parsed, fields.where());
    }
}

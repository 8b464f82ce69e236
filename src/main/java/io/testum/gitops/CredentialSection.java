package io.testum.gitops;

import java.util.List;

import io.testum.common.Names;
import io.testum.common.Violations;
import io.testum.gitops.DesiredDocument.CredentialEntry;
import io.testum.keys.KeyRules;

/**
 * An entry of {@code credentials}: only a name, optionally the Kubernetes Secret that holds its
 * secret, and a description. Any other field is taken for secret material, which has no place in Git.
 */
final class CredentialSection {

    static final List<String> FIELDS = List.of("name", "secret_ref", "description");

    private CredentialSection() {
    }

    static CredentialEntry read(Fields fields) {
        for (String field : fields.unknown(FIELDS)) {
            // the value is never read, let alone echoed
            fields.error(fields.keyAt(field), "secret material does not belong in Git: '" + field
                    + "' is not a credential field (a credential lists only name, secret_ref and description). "
                    + "Remove it, rotate the secret if it was ever pushed, and send the secret to "
                    + "POST /api/credentials/import or keep it in the Kubernetes Secret that secret_ref names");
        }
        String name = fields.text("name");
        String secretRef = fields.text("secret_ref");
        String description = fields.text("description");
        Violations violations = new Violations();
        Names.checkObjectName(name, "name", violations);
        if (secretRef != null) {
            violations.check(Names.isDnsSubdomain(secretRef),
                    "secret_ref", "'" + secretRef + "' is not a Kubernetes Secret name: a lowercase DNS subdomain "
                            + "(a-z, 0-9, '-' and '.', starting and ending with a letter or digit) of at most "
                            + Names.MAX_DNS_SUBDOMAIN + " characters");
        }
        violations.check(description == null || description.length() <= KeyRules.MAX_DESCRIPTION, "description",
                "must be at most " + KeyRules.MAX_DESCRIPTION + " characters");
        fields.report(violations);
        return new CredentialEntry(name, secretRef, description, fields.where());
    }
}

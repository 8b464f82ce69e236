package io.testum.keys;

import io.testum.common.Names;
import io.testum.common.Violations;
import io.testum.ssh.InvalidKeyException;
import io.testum.ssh.PublicKeyInfo;
import io.testum.ssh.SshKeys;

/** The rules of a public key entry, shared by the API and the GitOps document parser. */
public final class KeyRules {

    public static final int MAX_DESCRIPTION = 1024;

    private KeyRules() {
    }

    /** Checks {@code publicKey}; returns the parsed key, or null after recording why it is refused. */
    public static PublicKeyInfo checkPublicKey(String publicKey, String field, Violations v) {
        if (!v.required(publicKey, field)) {
            return null;
        }
        try {
            return SshKeys.parsePublicKey(publicKey);
        } catch (InvalidKeyException e) {
            v.add(field, e.getMessage());
            return null;
        }
    }

    /** Checks every field; returns the parsed key, or null when it is invalid. */
    public static PublicKeyInfo check(KeyRequest r, Violations v) {
        Names.checkObjectName(r.name(), "name", v);
        v.check(r.description() == null || r.description().length() <= MAX_DESCRIPTION, "description",
                "must be at most " + MAX_DESCRIPTION + " characters");
        return checkPublicKey(r.publicKey(), "public_key", v);
    }
}

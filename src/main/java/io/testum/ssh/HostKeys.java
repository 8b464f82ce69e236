package io.testum.ssh;

import java.security.PublicKey;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;

/** Host key fingerprints as {@code ssh-keygen -l} prints them. */
public final class HostKeys {

    private HostKeys() {
    }

    /** {@code SHA256:<base64>} of the key, as ssh-keygen -l prints it. */
    public static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
    }
}

package io.testum.web;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.testum.deploy.UnmanagedKeys;
import io.testum.ssh.PublicKeyInfo;

/**
 * What a person pasted into the search of the keys outside Git, read as the fingerprint to look
 * for: a {@code SHA256:} fingerprint (alone, or as {@code ssh-keygen -l} prints it), or one public
 * key line or {@code .pub} file (options before the key are allowed, as in authorized_keys), whose
 * fingerprint testum computes with the same parser that reads the hosts' files. Anything else is a
 * {@link Refusal}, which says only what kind of text it was: the text itself is never shown again
 * nor logged, since it may be a private key or another secret pasted by mistake.
 */
final class KeyPaste {

    /** Longer than any public key line (an 8192-bit RSA key is about 1.4 KB). */
    static final int MAX_LENGTH = 16 * 1024;

    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");
    /** {@code ssh-keygen -l}'s line: {@code 256 SHA256:... comment (ED25519)}. */
    private static final Pattern KEYGEN_LINE = Pattern.compile("(?:\\d+\\s+)?(SHA256:[A-Za-z0-9+/]{43})(?:\\s.*)?");
    /**
     * Private key material: PEM and OpenSSH armour ({@code -----BEGIN ... PRIVATE KEY-----}), PuTTY's
     * files, and the OpenSSH format's base64 without its armour ("openssh-key-v1").
     */
    private static final List<String> PRIVATE_MARKS = List.of("PRIVATE KEY", "PuTTY-User-Key-File", "b3BlbnNzaC1rZXktdjE");

    private KeyPaste() {
    }

    /** Why a paste gives no fingerprint. */
    enum Refusal {
        EMPTY,
        PRIVATE_KEY,
        SEVERAL_KEYS,
        NOT_A_KEY
    }

    /** The fingerprint to look for, or why there is none. */
    record Read(String fingerprint, Refusal refusal) {
    }

    static Read read(String pasted) {
        if (pasted == null || pasted.isBlank()) {
            return refused(Refusal.EMPTY);
        }
        if (pasted.length() > MAX_LENGTH) {
            return refused(Refusal.NOT_A_KEY);
        }
        for (String mark : PRIVATE_MARKS) {
            if (pasted.contains(mark)) {
                return refused(Refusal.PRIVATE_KEY);
            }
        }
        String text = pasted.strip();
        var keygen = KEYGEN_LINE.matcher(text);
        if (!text.contains("\n") && keygen.matches()) {
            return new Read(keygen.group(1), null);
        }
        Set<String> fingerprints = new LinkedHashSet<>();
        for (String line : text.split("\\R")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            Optional<PublicKeyInfo> key = UnmanagedKeys.keyOf(l);
            if (key.isEmpty()) {
                return refused(Refusal.NOT_A_KEY);
            }
            fingerprints.add(key.get().fingerprint());
        }
        if (fingerprints.isEmpty()) {
            return refused(Refusal.NOT_A_KEY);
        }
        if (fingerprints.size() > 1) {
            return refused(Refusal.SEVERAL_KEYS);
        }
        return new Read(fingerprints.iterator().next(), null);
    }

    /** Whether {@code text} is a fingerprint as {@code ssh-keygen -l} prints it. */
    static boolean isFingerprint(String text) {
        return text != null && FINGERPRINT.matcher(text).matches();
    }

    private static Read refused(Refusal refusal) {
        return new Read(null, refusal);
    }
}

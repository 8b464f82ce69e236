package io.testum.ssh;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.util.security.SecurityUtils;

import io.testum.common.BoundedCache;
import io.testum.common.Sha256;

/**
 * SSH key formats, through MINA SSHD's parsers and writers: public key lines, OpenSSH and PEM
 * private keys, key generation. Only JDK types and testum's own records cross this boundary.
 */
public final class SshKeys {

    /** Key types testum grants and stores, strongest first. */
    public static final List<String> ACCEPTED_TYPES = List.of(
            "ssh-ed25519", "sk-ssh-ed25519@openssh.com",
            "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ecdsa-sha2-nistp256@openssh.com",
            "ssh-rsa");
    public static final int MIN_RSA_BITS = 2048;
    public static final int MAX_RSA_BITS = 8192;
    private static final Set<String> ACCEPTED = Set.copyOf(ACCEPTED_TYPES);
    private static final String RSA = "ssh-rsa";
    private static final String DSA = "ssh-dss";
    private static final String OPENSSH_MAGIC = "openssh-key-v1\0";

    private SshKeys() {
    }

    /**
     * Key data already decoded and accepted, with its size: a desired-state document re-read on every
     * revision names the same thousands of keys, and only new ones need decoding.
     */
    private static final BoundedCache<String, Integer> DECODED = BoundedCache.of(50_000);

    /**
     * Parses one public key line ({@code type base64 [comment]}).
     *
     * @throws InvalidKeyException saying why the text is refused
     */
    public static PublicKeyInfo parsePublicKey(String text) {
        return parse(text, true);
    }

    /**
     * Reads one public key line found on a host ({@code type base64 [comment]}) with the same parser,
     * without testum's policy for keys it grants: a DSA key or an RSA key of any size is read and
     * reported with its size, so that it can be flagged; anything that is not a public key is refused.
     *
     * @throws InvalidKeyException when the text is not a public key line
     */
    public static PublicKeyInfo readPublicKey(String text) {
        return parse(text, false);
    }

    private static PublicKeyInfo parse(String text, boolean policy) {
        MinaSecurity.configure();
        if (text == null || text.isBlank()) {
            throw new InvalidKeyException("is empty; give one public key such as 'ssh-ed25519 AAAA... you@host'");
        }
        String trimmed = text.strip();
        if (trimmed.contains("PRIVATE KEY")) {
            throw new InvalidKeyException("is a private key. Give the public key instead (the .pub file, one line "
                    + "starting with ssh-ed25519, ssh-rsa, ...): a private key must never leave its owner");
        }
        if (trimmed.startsWith("---- BEGIN SSH2 PUBLIC KEY")) {
            throw new InvalidKeyException("is an RFC 4716 (SSH2) public key; convert it to OpenSSH format with "
                    + "'ssh-keygen -i -f key.pub' and give that line");
        }
        long lines = trimmed.lines().filter(l -> !l.isBlank()).count();
        if (lines > 1) {
            throw new InvalidKeyException("holds " + lines + " lines; give exactly one public key");
        }
        String[] tokens = trimmed.split("\\s+", 3);
        String type = tokens[0];
        if (policy || !DSA.equals(type)) {
            checkType(type, tokens);
        }
        if (tokens.length < 2) {
            throw new InvalidKeyException("has no key data after the type '" + type + "'");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(tokens[1]);
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException("has key data that is not valid base64");
        }
        String blobType = blobType(blob);
        if (blobType != null && !blobType.equals(type)) {
            throw new InvalidKeyException("says '" + type + "' but its key data holds a '" + abbreviate(blobType) + "' key");
        }
        byte[] data = blob;
        int bits = DECODED.get(type + " " + tokens[1], k -> decodedBits(type, data));
        if (policy) {
            checkRsaSize(type, bits);
        }
        String comment = tokens.length > 2 && !tokens[2].isBlank() ? tokens[2].strip() : null;
        return new PublicKeyInfo(type, bits, fingerprint(blob), tokens[1], comment);
    }

    /** Decodes the key data (for Ed25519 a point decompression, the costly part) and returns its size. */
    private static int decodedBits(String type, byte[] blob) {
        PublicKey key;
        try {
            key = new PublicKeyEntry(type, blob).resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.FAILING);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new InvalidKeyException("has key data that does not decode as a " + type + " key");
        }
        if (key == null) {
            throw new InvalidKeyException("has key data that does not decode as a " + type + " key");
        }
        return bits(type, key);
    }

    /**
     * Generates a key pair.
     *
     * @param algorithm {@code ed25519} or {@code rsa}
     * @param bits      RSA modulus size; ignored for ed25519
     * @param comment   the comment of the public line
     */
    public static PrivateKeyMaterial generate(String algorithm, int bits, String comment) {
        MinaSecurity.configure();
        String type = "rsa".equals(algorithm) ? RSA : "ssh-ed25519";
        try {
            KeyPair pair = KeyUtils.generateKeyPair(type, RSA.equals(type) ? bits : 256);
            return material(pair, comment);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot generate a " + type + " key: " + e.getMessage(), e);
        }
    }

    /**
     * Reads an OpenSSH or PEM (PKCS#1, PKCS#8, EC) private key, decrypting it with
     * {@code passphrase} when it is encrypted, and returns it unencrypted in OpenSSH format.
     *
     * @throws InvalidKeyException saying why the text is refused
     */
    public static PrivateKeyMaterial importPrivateKey(String text, String passphrase, String comment) {
        MinaSecurity.configure();
        if (text == null || text.isBlank()) {
            throw new InvalidKeyException("is empty; give an OpenSSH or PEM private key");
        }
        String trimmed = text.strip();
        if (!trimmed.contains("PRIVATE KEY-----")) {
            String first = trimmed.split("\\s+", 2)[0];
            if (ACCEPTED.contains(first) || DSA.equals(first)) {
                throw new InvalidKeyException("is a public key; a credential needs the private key (the file without .pub)");
            }
            throw new InvalidKeyException("is not an OpenSSH or PEM private key (expected a block starting with "
                    + "-----BEGIN OPENSSH PRIVATE KEY----- or -----BEGIN ... PRIVATE KEY-----)");
        }
        boolean encrypted = isEncrypted(trimmed);
        boolean noPassphrase = passphrase == null || passphrase.isEmpty();
        if (encrypted && noPassphrase) {
            throw new InvalidKeyException("is encrypted; give its passphrase");
        }
        List<KeyPair> pairs = new ArrayList<>();
        try {
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName("private_key"),
                    new ByteArrayInputStream((trimmed + "\n").getBytes(StandardCharsets.UTF_8)),
                    noPassphrase ? null : FilePasswordProvider.of(passphrase));
            if (loaded != null) {
                loaded.forEach(pairs::add);
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new InvalidKeyException(encrypted
                    ? "does not open with this passphrase (or the key is damaged)"
                    : "is not a readable OpenSSH or PEM private key (" + describe(e) + ")");
        }
        if (pairs.isEmpty()) {
            throw new InvalidKeyException("holds no key pair testum can read");
        }
        if (pairs.size() > 1) {
            throw new InvalidKeyException("holds " + pairs.size() + " keys; give exactly one");
        }
        KeyPair pair = pairs.get(0);
        String type = KeyUtils.getKeyType(pair);
        if (DSA.equals(type)) {
            throw new InvalidKeyException("is a DSA key; DSA is refused (1024 bits at most, disabled by OpenSSH). "
                    + "Use an ed25519 key");
        }
        if (type == null || !ACCEPTED.contains(type)) {
            throw new InvalidKeyException("is a key of a type testum does not accept");
        }
        checkRsaSize(type, bits(type, pair.getPublic()));
        return material(pair, comment);
    }

    /** A public key as an authorized_keys line without options or comment: {@code type base64}. */
    public static String publicLine(PublicKey key) {
        try {
            return PublicKeyEntry.toString(key);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot write the public key: " + describe(e), e);
        }
    }

    /** The public half of a private key in OpenSSH format, as {@link #publicLine(PublicKey)} writes it. */
    public static String publicLineOf(String openSshPrivateKey) {
        return publicLine(keyPair(openSshPrivateKey).getPublic());
    }

    /** The key pair of a stored credential (OpenSSH format, unencrypted). */
    public static KeyPair keyPair(String openSsh) {
        MinaSecurity.configure();
        try {
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName("credential"),
                    new ByteArrayInputStream(openSsh.getBytes(StandardCharsets.UTF_8)), null);
            if (loaded != null) {
                for (KeyPair pair : loaded) {
                    return pair;
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new SshFailure(SshFailure.Kind.FAILED, "The stored private key cannot be read (" + describe(e) + ")", e);
        }
        throw new SshFailure(SshFailure.Kind.FAILED, "The stored private key holds no key pair");
    }

    private static PrivateKeyMaterial material(KeyPair pair, String comment) throws InvalidKeyException {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, comment, null, out);
            String line = PublicKeyEntry.toString(pair.getPublic()) + (comment == null ? "" : " " + comment);
            return new PrivateKeyMaterial(out.toString(StandardCharsets.UTF_8), parsePublicKey(line));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot write the key in OpenSSH format: " + e.getMessage(), e);
        }
    }

    private static void checkType(String type, String[] tokens) {
        if (ACCEPTED.contains(type)) {
            return;
        }
        if (DSA.equals(type)) {
            throw new InvalidKeyException("is a DSA key (ssh-dss); DSA is refused (1024 bits at most, disabled by OpenSSH). "
                    + "Use an ed25519 key");
        }
        if (type.endsWith("-cert-v01@openssh.com")) {
            throw new InvalidKeyException("is an OpenSSH certificate; give the plain public key");
        }
        for (int i = 1; i < tokens.length; i++) {
            String next = tokens[i].split("\\s+", 2)[0];
            if (ACCEPTED.contains(next) || DSA.equals(next)) {
                throw new InvalidKeyException("starts with options before the key type; put authorized_keys options on "
                        + "the access grant and give the key alone");
            }
        }
        throw new InvalidKeyException("has the unknown key type '" + abbreviate(type) + "'; accepted types are "
                + String.join(", ", ACCEPTED_TYPES));
    }

    private static void checkRsaSize(String type, int bits) {
        if (RSA.equals(type) && bits < MIN_RSA_BITS) {
            throw new InvalidKeyException("is an RSA key of " + bits + " bits; RSA keys need at least " + MIN_RSA_BITS
                    + " bits. Generate a new key, e.g. ssh-keygen -t ed25519");
        }
    }

    private static int bits(String type, PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return rsa.getModulus().bitLength();
        }
        if (key instanceof java.security.interfaces.DSAPublicKey dsa) {
            return dsa.getParams().getP().bitLength();
        }
        if (type.contains("nistp384")) {
            return 384;
        }
        if (type.contains("nistp521")) {
            return 521;
        }
        return 256;
    }

    /** The key type written inside the blob, or null when the blob is too short to hold one. */
    private static String blobType(byte[] blob) {
        if (blob.length < 4) {
            return null;
        }
        int length = ByteBuffer.wrap(blob, 0, 4).getInt();
        if (length <= 0 || length > 64 || 4 + length > blob.length) {
            return null;
        }
        return new String(blob, 4, length, StandardCharsets.US_ASCII);
    }

    /** {@code SHA256:} and the unpadded base64 of the blob's digest: what {@code ssh-keygen -l} prints. */
    static String fingerprint(byte[] blob) {
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(Sha256.of(blob));
    }

    private static boolean isEncrypted(String pem) {
        if (pem.contains("Proc-Type: 4,ENCRYPTED") || pem.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
            return true;
        }
        int begin = pem.indexOf("-----BEGIN OPENSSH PRIVATE KEY-----");
        int end = pem.indexOf("-----END OPENSSH PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            return false;
        }
        try {
            String body = pem.substring(begin + "-----BEGIN OPENSSH PRIVATE KEY-----".length(), end).replaceAll("\\s", "");
            ByteBuffer buffer = ByteBuffer.wrap(Base64.getDecoder().decode(body));
            byte[] magic = new byte[OPENSSH_MAGIC.length()];
            buffer.get(magic);
            if (!OPENSSH_MAGIC.equals(new String(magic, StandardCharsets.US_ASCII))) {
                return false;
            }
            byte[] cipher = new byte[buffer.getInt()];
            buffer.get(cipher);
            return !"none".equals(new String(cipher, StandardCharsets.US_ASCII));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Names the failure without its message, which may quote the key text. */
    private static String describe(Exception e) {
        return e.getClass().getSimpleName();
    }

    private static String abbreviate(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 60 ? clean.substring(0, 60) + "..." : clean;
    }
}

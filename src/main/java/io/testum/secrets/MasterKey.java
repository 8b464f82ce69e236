package io.testum.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.jboss.logging.Logger;

import io.testum.common.PrivateFile;

/**
 * The AES-256 key that encrypts every secret testum stores: {@code testum.master-key}, or a key
 * generated once into {@code data-dir/master.key}. Its bytes never reach a log line.
 */
final class MasterKey {

    private static final Logger LOG = Logger.getLogger(MasterKey.class);
    static final int LENGTH = 32;
    static final String FILE_NAME = "master.key";

    private MasterKey() {
    }

    static SecretKey load(SecretsConfig config) {
        if (config.masterKey().isPresent()) {
            return decode(config.masterKey().get(), "testum.master-key");
        }
        Path file = config.dataDir().resolve(FILE_NAME).toAbsolutePath().normalize();
        try {
            if (Files.exists(file)) {
                return decode(Files.readString(file, StandardCharsets.UTF_8), file.toString());
            }
            byte[] key = new byte[LENGTH];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(file.getParent());
            PrivateFile.write(file, Base64.getEncoder().encodeToString(key) + "\n");
            LOG.warnf("testum.master-key is not set: generated a master key into %s (mode 0600). Back this file up, "
                    + "or set testum.master-key: without it the stored secrets cannot be read.", file);
            return new SecretKeySpec(key, "AES");
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read or create the master key file " + file + ": " + e.getMessage(), e);
        }
    }

    private static SecretKey decode(String base64, String origin) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(origin + " is not valid base64; it must be base64 of 32 random bytes "
                    + "(e.g. the output of: head -c 32 /dev/urandom | base64)");
        }
        if (key.length != LENGTH) {
            throw new IllegalStateException(origin + " decodes to " + key.length + " bytes; it must be base64 of exactly "
                    + LENGTH + " random bytes (e.g. the output of: head -c 32 /dev/urandom | base64)");
        }
        return new SecretKeySpec(key, "AES");
    }
}

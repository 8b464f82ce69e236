package io.testum.runs;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.testum.secrets.SecretCipher;
import io.vertx.core.json.JsonObject;

/**
 * A script's environment as it rests in the database: its values sealed together (AES-GCM, bound
 * to {@code purpose}, e.g. the run or schedule it belongs to), its names stored beside in the clear.
 */
public final class SealedEnv {

    private SealedEnv() {
    }

    /** The values sealed for {@code purpose}, or {@code null} when there are none. */
    public static byte[] seal(SecretCipher cipher, Map<String, String> env, String purpose) {
        return env == null || env.isEmpty() ? null
                : cipher.encrypt(new JsonObject(new LinkedHashMap<String, Object>(env)).encode(), purpose);
    }

    /** The values {@link #seal} sealed for {@code purpose}, in their order; empty for {@code null}. */
    public static Map<String, String> open(SecretCipher cipher, byte[] sealed, String purpose) {
        if (sealed == null) {
            return Collections.emptyMap();
        }
        Map<String, String> env = new LinkedHashMap<>();
        new JsonObject(cipher.decryptString(sealed, purpose)).forEach(e -> env.put(e.getKey(), (String) e.getValue()));
        return env;
    }
}

package io.testum.keys;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.testum.cluster.KubernetesSecrets;
import io.testum.db.DatabaseConfig;
import io.testum.inventory.Labels;
import io.testum.secrets.SecretCipher;
import io.testum.ssh.SshAuth;
import io.testum.ssh.SshFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Opens a stored credential for a connection: the only place its secret is decrypted, and what
 * other features ask for "this credential as an SSH login" (deployments, runs, stats, Git).
 */
@Singleton
public class CredentialSecrets {

    /** Keys of a Kubernetes Secret that a {@code secret_ref} reads (the kubernetes.io/ssh-auth and basic-auth names). */
    public static final String SSH_PRIVATE_KEY = "ssh-privatekey";
    public static final String PASSWORD = "password";

    private final SecretCipher cipher;
    private final KubernetesSecrets kubernetes;
    private final Pool pool;
    private final Duration databaseWait;

    public CredentialSecrets(SecretCipher cipher, KubernetesSecrets kubernetes, Pool pool, DatabaseConfig database) {
        this.cipher = cipher;
        this.kubernetes = kubernetes;
        this.pool = pool;
        this.databaseWait = database.waitTimeout();
    }

    /**
     * A credential as a login needs it: kind, sealed secret, and where an admin allows it to be
     * used ({@code boundPlatforms}, {@code boundSelector}; both empty: anywhere).
     */
    public record Login(String name, String kind, byte[] secret, String secretRef, List<String> boundPlatforms,
            Map<String, String> boundSelector) {

        /** Whether the credential may serve the platform {@code platform} with {@code labels}. */
        public boolean allows(String platform, Map<String, String> labels) {
            return CredentialBinding.allows(boundPlatforms, boundSelector, platform, labels);
        }

        /** The binding in words. */
        public String binding() {
            return CredentialBinding.describe(boundPlatforms, boundSelector);
        }

        @Override
        public String toString() {
            return "Login[" + name + "]";
        }
    }

    /** The credential named {@code name} with its binding; null when there is none (or {@code name} is null). */
    public Uni<Login> find(String name) {
        if (name == null) {
            return Uni.createFrom().nullItem();
        }
        return pool.preparedQuery("SELECT c.name, c.kind, c.secret, c.secret_ref, b.rule -> 'platforms' AS bound_platforms, "
                + "b.rule -> 'selector' AS bound_selector FROM credentials c LEFT JOIN credential_bindings b ON b.credential = c.name "
                + "WHERE c.name = $1").execute(Tuple.of(name))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    Object selector = r.getValue("bound_selector");
                    return new Login(r.getString("name"), r.getString("kind"),
                            r.getBuffer("secret") == null ? null : r.getBuffer("secret").getBytes(), r.getString("secret_ref"),
                            CredentialBinding.names(r.getValue("bound_platforms")),
                            selector instanceof JsonObject json ? Labels.fromJson(json) : Map.of());
                });
    }

    /**
     * Credential {@code name} as the SSH login of platform {@code platform} (with {@code labels}),
     * offered only where its binding allows. Blocking; call it off the event loop.
     *
     * @throws SshFailure of kind {@code FAILED} when the platform has no credential, the binding
     *         excludes the platform, or there is no secret to use
     */
    public SshAuth loginFor(String name, String platform, Map<String, String> labels) {
        Login credential = find(name).await().atMost(databaseWait);
        if (credential == null) {
            throw new SshFailure(SshFailure.Kind.FAILED, "platform '" + platform + "' has no credential; give it one");
        }
        if (!credential.allows(platform, labels)) {
            throw new SshFailure(SshFailure.Kind.FAILED, "credential '" + credential.name() + "' is bound to "
                    + credential.binding() + "; platform '" + platform + "' is not among them, so testum does not offer it "
                    + "there. An admin can change the binding (PUT /api/credentials/" + credential.name() + "/binding)");
        }
        try {
            return open(credential);
        } catch (IllegalStateException e) {
            throw new SshFailure(SshFailure.Kind.FAILED, e.getMessage());
        }
    }

    /**
     * The secret of {@code credential}, decrypted.
     *
     * @throws IllegalStateException when there is no secret to use, saying why
     */
    public SshAuth open(Login credential) {
        return open(credential.name(), credential.kind(), credential.secret(), credential.secretRef());
    }

    /**
     * The stored secret, or, for a credential without one that names a Kubernetes Secret
     * ({@code secret_ref}), that Secret's {@code ssh-privatekey} or {@code password}.
     *
     * @throws IllegalStateException when there is no secret to use, saying why
     */
    public SshAuth open(String name, String kind, byte[] secret, String secretRef) {
        if (secret == null && secretRef != null) {
            Map<String, byte[]> data = kubernetes.read(secretRef).orElseThrow(() -> new IllegalStateException(
                    "credential '" + name + "' refers to the Kubernetes Secret '" + secretRef + "', which does not exist"));
            if (data.containsKey(SSH_PRIVATE_KEY)) {
                return new SshAuth.Key(new String(data.get(SSH_PRIVATE_KEY), StandardCharsets.UTF_8));
            }
            if (data.containsKey(PASSWORD)) {
                return new SshAuth.Password(new String(data.get(PASSWORD), StandardCharsets.UTF_8));
            }
            throw new IllegalStateException("the Kubernetes Secret '" + secretRef + "' of credential '" + name
                    + "' has neither the key " + SSH_PRIVATE_KEY + " nor " + PASSWORD);
        }
        if (secret == null || kind == null) {
            throw new IllegalStateException("credential '" + name + "' has no secret yet: generate or import it "
                    + "(POST /api/credentials/generate or /import with that name)");
        }
        String plain = cipher.decryptString(secret, Credential.purpose(name));
        return Credential.KIND_KEY.equals(kind) ? new SshAuth.Key(plain) : new SshAuth.Password(plain);
    }
}

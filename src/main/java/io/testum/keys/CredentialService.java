package io.testum.keys;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.testum.common.ConflictException;
import io.testum.common.Names;
import io.testum.common.NotFoundException;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Source;
import io.testum.common.Violations;
import io.testum.inventory.ChangesInventory;
import io.testum.inventory.InventoryChanged;
import io.testum.inventory.PlatformDirectory;
import io.testum.secrets.SecretCipher;
import io.testum.ssh.InvalidKeyException;
import io.testum.ssh.PrivateKeyMaterial;
import io.testum.ssh.SshKeys;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Credentials: generated or imported key pairs and passwords, sealed under the master key the
 * moment they arrive. Only public parts ever leave this service.
 */
@ApplicationScoped
public class CredentialService {

    static final int DEFAULT_RSA_BITS = 3072;
    static final int MAX_PASSWORD = 1024;
    static final int MAX_PRIVATE_KEY = 64 * 1024;

    private final CredentialRepository credentials;
    private final SecretCipher cipher;
    private final Pool pool;

    public CredentialService(CredentialRepository credentials, SecretCipher cipher, Pool pool) {
        this.credentials = credentials;
        this.cipher = cipher;
        this.pool = pool;
    }

    public Uni<Page<CredentialView>> list(String q, PageRequest page) {
        return credentials.search(q, page).flatMap(result -> PlatformDirectory
                .namesUsingCredentials(pool, result.items().stream().map(c -> c.id).toList())
                .chain(users -> credentials.bindings(pool, result.items().stream().map(c -> c.name).toList()).map(bindings -> result
                        .map(c -> CredentialView.of(c, users.getOrDefault(c.id, List.of()), bindings.get(c.name))))));
    }

    public Uni<CredentialView> get(String name) {
        return require(pool, name).flatMap(c -> view(pool, c));
    }

    /** The OpenSSH public line of a key credential. */
    public Uni<String> publicKey(String name) {
        return require(pool, name).map(c -> {
            if (!c.hasSecret()) {
                throw new ConflictException("credential '" + name + "' has no key yet: generate or import it first");
            }
            if (!Credential.KIND_KEY.equals(c.kind)) {
                throw new ConflictException("credential '" + name + "' is a password; it has no public key");
            }
            return c.publicKey;
        });
    }

    public Uni<CredentialView> generate(CredentialRequests.Generate request, String admin) {
        Violations v = new Violations();
        Names.checkObjectName(request.name(), "name", v);
        String type = request.type() == null ? "ed25519" : request.type();
        int bits = 256;
        if (v.check("ed25519".equals(type) || "rsa".equals(type), "type", "must be ed25519 or rsa")) {
            if ("rsa".equals(type)) {
                bits = request.bits() == null ? DEFAULT_RSA_BITS : request.bits();
                v.check(bits >= SshKeys.MIN_RSA_BITS && bits <= SshKeys.MAX_RSA_BITS, "bits",
                        "RSA keys must have " + SshKeys.MIN_RSA_BITS + " to " + SshKeys.MAX_RSA_BITS + " bits");
            } else {
                v.check(request.bits() == null || request.bits() == 256, "bits", "ed25519 keys always have 256 bits");
            }
        }
        checkDescription(request.description(), v);
        checkBinding(request.binding(), v);
        v.throwIfAny();
        int size = bits;
        return VertxContextSupport.executeBlocking(() -> SshKeys.generate(type, size, comment(request.name())))
                .flatMap(material -> storeKey(request.name(), material, request.description(), request.binding(), admin));
    }

    public Uni<CredentialView> importSecret(CredentialRequests.Import request, String admin) {
        Violations v = new Violations();
        Names.checkObjectName(request.name(), "name", v);
        boolean hasPassword = checkSecret(request.password(), request.privateKey(), request.passphrase(), null, v);
        checkDescription(request.description(), v);
        checkBinding(request.binding(), v);
        v.throwIfAny();
        if (hasPassword) {
            return storePassword(request.name(), request.password(), request.description(), request.binding(), admin);
        }
        return VertxContextSupport.executeBlocking(() -> parsePrivateKey(request))
                .flatMap(material -> storeKey(request.name(), material, request.description(), request.binding(), admin));
    }

    /**
     * A secret sent inline with a platform, checked and sealed for the credential {@code name} (the
     * platform's name) on a worker thread: a password, or a private key (parsed, with its passphrase).
     * Problems are reported under the request's field names.
     */
    public Uni<Sealed> sealInline(String name, InlineSecret secret, String authMethod) {
        Violations v = new Violations();
        boolean hasPassword = checkSecret(secret.password(), secret.privateKey(), secret.passphrase(), authMethod, v);
        v.throwIfAny();
        String purpose = Credential.purpose(name);
        if (hasPassword) {
            return Uni.createFrom().item(new Sealed(Credential.KIND_PASSWORD, null, cipher.encrypt(secret.password(), purpose)));
        }
        return VertxContextSupport.executeBlocking(() -> {
            try {
                PrivateKeyMaterial material = SshKeys.importPrivateKey(secret.privateKey(), secret.passphrase(), comment(name));
                return new Sealed(Credential.KIND_KEY, material, cipher.encrypt(material.openSsh(), purpose));
            } catch (InvalidKeyException e) {
                throw new io.testum.common.ValidationException("private_key", e.getMessage());
            }
        });
    }

    /**
     * Within the caller's transaction {@code tx}: the credential {@code name} that belongs to the
     * platform {@code platformId} (null for a platform not stored yet), created or given the new
     * secret, and stored. A credential of that name that belongs to nobody, or to another platform,
     * is not touched: 409.
     */
    public Uni<Credential> owned(SqlClient tx, Long platformId, String name, Sealed sealed) {
        return credentials.findByName(tx, name).flatMap(existing -> {
            Credential c = existing;
            if (c == null) {
                c = newCredential(name, "sent with platform " + name);
            } else if (platformId == null || !platformId.equals(c.ownerPlatformId)) {
                throw new ConflictException("a credential named '" + name + "' already exists, and a secret sent with a "
                        + "platform is kept as a credential of the platform's name; name the credential with 'credential' "
                        + "instead of sending the secret, or rename the other credential");
            }
            c.kind = sealed.kind();
            PrivateKeyMaterial key = sealed.key();
            c.keyType = key == null ? null : key.publicKey().type();
            c.bits = key == null ? null : key.publicKey().bits();
            c.fingerprint = key == null ? null : key.publicKey().fingerprint();
            c.publicKey = key == null ? null : key.publicKey().line();
            c.secret = sealed.secret();
            c.secretRef = null;
            c.ownerPlatformId = platformId;
            c.touch();
            Credential stored = c;
            return stored.save(tx).replaceWith(stored);
        });
    }

    /** A checked, sealed inline secret; only its public parts are readable. */
    public record Sealed(String kind, PrivateKeyMaterial key, byte[] secret) {
        @Override
        public String toString() {
            return "Sealed[" + kind + "]";
        }
    }

    @ChangesInventory(InventoryChanged.What.CREDENTIALS)
    public Uni<Void> delete(String name) {
        return pool.withTransaction(tx -> require(tx, name).flatMap(c -> {
            Source.requireApiManaged("credential", name, c.source, c.sourceRevision);
            return PlatformDirectory.namesUsingCredential(tx, c.id).flatMap(users -> {
                if (!users.isEmpty()) {
                    throw new ConflictException("credential '" + name + "' is used by platforms " + users
                            + "; point them at another credential first");
                }
                return c.delete(tx);
            });
        }));
    }

    private static PrivateKeyMaterial parsePrivateKey(CredentialRequests.Import request) {
        try {
            return SshKeys.importPrivateKey(request.privateKey(), request.passphrase(), comment(request.name()));
        } catch (InvalidKeyException e) {
            throw new io.testum.common.ValidationException("private_key", e.getMessage());
        }
    }

    /**
     * Sets where the credential may be used (an empty binding: anywhere). Works for credentials a
     * GitOps source declares too: the binding is the admin's, not part of the document.
     */
    @ChangesInventory(InventoryChanged.What.CREDENTIALS)
    public Uni<CredentialView> bind(String name, CredentialRequests.Binding binding, String admin) {
        return Uni.createFrom().deferred(() -> {
            Violations v = new Violations();
            checkBinding(binding, v);
            v.throwIfAny();
            return pool.withTransaction(tx -> require(tx, name).chain(c -> store(tx, name, binding, admin).chain(() -> view(tx, c))));
        });
    }

    /** Replaces the binding of {@code name}; null leaves it as it is, an empty one removes it. */
    private Uni<Void> store(SqlClient tx, String name, CredentialRequests.Binding binding, String admin) {
        if (binding == null) {
            return Uni.createFrom().voidItem();
        }
        if (binding.isEmpty()) {
            return credentials.deleteBinding(tx, name);
        }
        return credentials.saveBinding(tx, new CredentialBinding(name, binding.platforms(), binding.selector(), admin,
                io.testum.common.Timestamps.now()));
    }

    private static void checkBinding(CredentialRequests.Binding binding, Violations v) {
        if (binding == null) {
            return;
        }
        if (binding.platforms() != null) {
            v.check(binding.platforms().size() <= 10_000, "binding.platforms", "names at most 10000 platforms");
            for (String platform : binding.platforms()) {
                if (platform == null || !Names.checkPlatformName(platform, "binding.platforms", v)) {
                    break;
                }
            }
        }
        io.testum.inventory.Labels.check(binding.selector(), "binding.selector", v);
    }

    @ChangesInventory(InventoryChanged.What.CREDENTIALS)
    Uni<CredentialView> storeKey(String name, PrivateKeyMaterial material, String description,
            CredentialRequests.Binding binding, String admin) {
        return fillOrCreate(name, binding, admin, c -> {
            c.kind = Credential.KIND_KEY;
            c.keyType = material.publicKey().type();
            c.bits = material.publicKey().bits();
            c.fingerprint = material.publicKey().fingerprint();
            c.publicKey = material.publicKey().line();
            c.secret = cipher.encrypt(material.openSsh(), Credential.purpose(name));
        }, description);
    }

    @ChangesInventory(InventoryChanged.What.CREDENTIALS)
    Uni<CredentialView> storePassword(String name, String password, String description,
            CredentialRequests.Binding binding, String admin) {
        return fillOrCreate(name, binding, admin, c -> {
            c.kind = Credential.KIND_PASSWORD;
            c.keyType = null;
            c.bits = null;
            c.fingerprint = null;
            c.publicKey = null;
            c.secret = cipher.encrypt(password, Credential.purpose(name));
        }, description);
    }

    /**
     * Gives the secret to a new credential, or to a placeholder declared in Git. A credential that
     * already has a secret is not overwritten: platforms log in with it.
     */
    private Uni<CredentialView> fillOrCreate(String name, CredentialRequests.Binding binding, String admin,
            java.util.function.Consumer<Credential> seal, String description) {
        return pool.withTransaction(tx -> credentials.findByName(tx, name).flatMap(existing -> {
            Credential c = existing;
            if (c == null) {
                c = newCredential(name, description);
            } else if (c.hasSecret()) {
                throw new ConflictException("credential '" + name + "' already has a secret; platforms log in with it. "
                        + "Delete it first, or pick another name");
            } else if (description != null) {
                c.description = description;
            }
            seal.accept(c);
            c.touch();
            Credential stored = c;
            return stored.save(tx).chain(() -> store(tx, name, binding, admin)).chain(() -> view(tx, stored));
        }));
    }

    private static Credential newCredential(String name, String description) {
        Credential c = new Credential();
        c.name = name;
        c.source = Source.API;
        c.description = description;
        return c;
    }

    private Uni<CredentialView> view(SqlClient client, Credential c) {
        return PlatformDirectory.namesUsingCredential(client, c.id)
                .chain(users -> credentials.binding(client, c.name).map(binding -> CredentialView.of(c, users, binding)));
    }

    private Uni<Credential> require(SqlClient client, String name) {
        return credentials.findByName(client, name).map(NotFoundException.ifMissing("credential", name));
    }

    /**
     * The rules of a secret sent to testum: a password, or a private key (with its passphrase), not both,
     * within size, and suiting {@code authMethod} when one is given.
     *
     * @return whether it is a password (else a private key)
     */
    private static boolean checkSecret(String password, String privateKey, String passphrase, String authMethod, Violations v) {
        boolean hasKey = privateKey != null && !privateKey.isBlank();
        boolean hasPassword = password != null && !password.isEmpty();
        v.check(hasKey != hasPassword, hasKey ? "password" : "private_key",
                "give either private_key (with passphrase, if it is encrypted) or password, not both and not neither");
        v.check(hasKey || passphrase == null, "passphrase", "only goes with private_key");
        if (hasPassword) {
            v.check(password.length() <= MAX_PASSWORD, "password", "must be at most " + MAX_PASSWORD + " characters");
            v.check(authMethod == null || Credential.KIND_PASSWORD.equals(authMethod), "password",
                    "goes with auth_method password, not " + authMethod);
        }
        if (hasKey) {
            v.check(privateKey.length() <= MAX_PRIVATE_KEY, "private_key", "is longer than any SSH private key");
            v.check(authMethod == null || Credential.KIND_KEY.equals(authMethod), "private_key",
                    "goes with auth_method key, not " + authMethod);
        }
        return hasPassword;
    }

    private static void checkDescription(String description, Violations v) {
        v.check(description == null || description.length() <= 1024, "description", "must be at most 1024 characters");
    }

    private static String comment(String name) {
        return "testum-" + name;
    }

    /** Within {@code tx}: stores the changes to a credential a platform was sent with (see {@link #owned}). */
    public Uni<Credential> saveOwned(SqlClient tx, Credential owned) {
        return owned.save(tx).replaceWith(owned);
    }

    /** Within {@code tx}: the credential the platform was sent with, or {@code null}. */
    public Uni<Credential> ownedBy(SqlClient tx, long platformId) {
        return credentials.findByOwner(tx, platformId);
    }

    /** Within {@code tx}: removes a credential a platform was sent with, once the platform no longer logs in with it. */
    public Uni<Void> deleteOwned(SqlClient tx, Credential owned) {
        return owned.delete(tx);
    }

    /** Within {@code tx}: the credential named, or {@code null}. */
    public Uni<Credential> findByName(SqlClient tx, String name) {
        return credentials.findByName(tx, name);
    }

    /** Within {@code tx}: the credential's binding (which platforms may log in with it), or {@code null} when it has none. */
    public Uni<CredentialBinding> binding(SqlClient tx, String name) {
        return credentials.binding(tx, name);
    }
}

package io.testum.keys;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.common.ConflictException;
import io.testum.common.NotFoundException;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Source;
import io.testum.common.ValidationException;
import io.testum.common.Violations;
import io.testum.inventory.ChangesInventory;
import io.testum.inventory.InventoryChanged;
import io.testum.ssh.PublicKeyInfo;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Public keys made and changed through the API. */
@ApplicationScoped
public class KeyService {

    private final SshKeyRepository keys;
    private final Pool pool;

    public KeyService(SshKeyRepository keys, Pool pool) {
        this.keys = keys;
        this.pool = pool;
    }

    public Uni<Page<KeyView>> list(String q, PageRequest page) {
        return keys.search(q, page).flatMap(result -> keys.grantedPlatforms(pool, result.items().stream().map(k -> k.id).toList())
                .map(platforms -> result.map(k -> KeyView.of(k, platforms.getOrDefault(k.name, List.of())))));
    }

    public Uni<KeyView> get(String name) {
        return require(pool, name).flatMap(key -> view(pool, key));
    }

    @ChangesInventory(InventoryChanged.What.KEYS)
    public Uni<KeyView> create(KeyRequest request) {
        return Uni.createFrom().deferred(() -> {
            Violations v = new Violations();
            PublicKeyInfo info = KeyRules.check(request, v);
            v.throwIfAny();
            return pool.withTransaction(c -> keys.findByName(c, request.name()).flatMap(existing -> {
                if (existing != null) {
                    throw new ConflictException("key '" + request.name() + "' already exists");
                }
                return requireUniqueFingerprint(c, info, null);
            }).flatMap(ignored -> {
                SshKey key = new SshKey();
                key.name = request.name();
                key.source = Source.API;
                apply(key, info, request.description());
                return key.save(c).flatMap(x -> view(c, key));
            }));
        });
    }

    @ChangesInventory(InventoryChanged.What.KEYS)
    public Uni<KeyView> update(String name, KeyRequest request) {
        return Uni.createFrom().deferred(() -> {
            if (request.name() != null && !request.name().equals(name)) {
                throw new ValidationException("name", "is '" + request.name() + "' but the path names '" + name
                        + "'; keys cannot be renamed");
            }
            Violations v = new Violations();
            PublicKeyInfo info = KeyRules.check(new KeyRequest(name, request.publicKey(), request.description()), v);
            v.throwIfAny();
            return pool.withTransaction(c -> require(c, name).flatMap(key -> {
                Source.requireApiManaged("key", name, key.source, key.sourceRevision);
                return requireUniqueFingerprint(c, info, key.id).flatMap(ignored -> {
                    apply(key, info, request.description());
                    return key.save(c).flatMap(x -> view(c, key));
                });
            }));
        });
    }

    @ChangesInventory(InventoryChanged.What.KEYS)
    public Uni<Void> delete(String name) {
        return pool.withTransaction(c -> require(c, name).flatMap(key -> {
            Source.requireApiManaged("key", name, key.source, key.sourceRevision);
            return keys.grantsIncluding(c, key.id).flatMap(grants -> {
                if (!grants.isEmpty()) {
                    throw new ConflictException("key '" + name + "' is part of access grants " + grants
                            + "; remove it from them first");
                }
                return key.delete(c);
            });
        }));
    }

    /** One key, one name: the same key under two names would put two lines with different options into a file. */
    private Uni<Void> requireUniqueFingerprint(SqlClient c, PublicKeyInfo info, Long self) {
        return keys.findByFingerprint(c, info.fingerprint()).map(other -> {
            if (other != null && !other.id.equals(self)) {
                throw new ConflictException("this public key (" + info.fingerprint() + ") is already registered as key '"
                        + other.name + "'");
            }
            return null;
        });
    }

    private static void apply(SshKey key, PublicKeyInfo info, String description) {
        key.publicKey = info.line();
        key.keyType = info.type();
        key.bits = info.bits();
        key.fingerprint = info.fingerprint();
        key.comment = info.comment();
        key.description = description;
        key.touch();
    }

    private Uni<KeyView> view(SqlClient c, SshKey key) {
        return keys.grantedPlatforms(c, List.of(key.id)).map(p -> KeyView.of(key, p.getOrDefault(key.name, List.of())));
    }

    private Uni<SshKey> require(SqlClient c, String name) {
        return keys.findByName(c, name).map(NotFoundException.ifMissing("key", name));
    }
}

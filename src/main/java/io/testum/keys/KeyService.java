package io.testum.keys;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
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

/** Public keys made and changed through the API. */
@ApplicationScoped
public class KeyService {

    private final SshKeyRepository keys;

    public KeyService(SshKeyRepository keys) {
        this.keys = keys;
    }

    @WithSession
    public Uni<Page<KeyView>> list(String q, PageRequest page) {
        return keys.search(q, page).flatMap(result -> platformsOf(result.items())
                .map(platforms -> result.map(k -> KeyView.of(k, platforms.getOrDefault(k.name, List.of())))));
    }

    @WithSession
    public Uni<KeyView> get(String name) {
        return require(name).flatMap(this::view);
    }

    @ChangesInventory(InventoryChanged.What.KEYS)
    @WithTransaction
    public Uni<KeyView> create(KeyRequest request) {
        Violations v = new Violations();
        PublicKeyInfo info = KeyRules.check(request, v);
        v.throwIfAny();
        return keys.findByName(request.name()).flatMap(existing -> {
            if (existing != null) {
                throw new ConflictException("key '" + request.name() + "' already exists");
            }
            return requireUniqueFingerprint(info, null);
        }).flatMap(ignored -> {
            SshKey key = new SshKey();
            key.name = request.name();
            key.source = Source.API;
            apply(key, info, request.description());
            return keys.persist(key).flatMap(this::view);
        });
    }

    @ChangesInventory(InventoryChanged.What.KEYS)
    @WithTransaction
    public Uni<KeyView> update(String name, KeyRequest request) {
        if (request.name() != null && !request.name().equals(name)) {
            throw new ValidationException("name", "is '" + request.name() + "' but the path names '" + name
                    + "'; keys cannot be renamed");
        }
        Violations v = new Violations();
        PublicKeyInfo info = KeyRules.check(new KeyRequest(name, request.publicKey(), request.description()), v);
        v.throwIfAny();
        return require(name).flatMap(key -> {
            Source.requireApiManaged("key", name, key.source, key.sourceRevision);
            return requireUniqueFingerprint(info, key.id).flatMap(ignored -> {
                apply(key, info, request.description());
                return view(key);
            });
        });
    }

    @ChangesInventory(InventoryChanged.What.KEYS)
    @WithTransaction
    public Uni<Void> delete(String name) {
        return require(name).flatMap(key -> {
            Source.requireApiManaged("key", name, key.source, key.sourceRevision);
            return keys.grantsIncluding(key.id).flatMap(grants -> {
                if (!grants.isEmpty()) {
                    throw new ConflictException("key '" + name + "' is part of access grants " + grants
                            + "; remove it from them first");
                }
                return keys.delete(key);
            });
        });
    }

    /** One key, one name: the same key under two names would put two lines with different options into a file. */
    private Uni<Void> requireUniqueFingerprint(PublicKeyInfo info, Long self) {
        return keys.findByFingerprint(info.fingerprint()).map(other -> {
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

    private Uni<KeyView> view(SshKey key) {
        return platformsOf(List.of(key)).map(p -> KeyView.of(key, p.getOrDefault(key.name, List.of())));
    }

    private Uni<Map<String, List<String>>> platformsOf(List<SshKey> page) {
        return keys.grantedPlatforms(page.stream().map(k -> k.id).toList()).map(pairs -> {
            Map<String, List<String>> byKey = new HashMap<>();
            pairs.forEach(pair -> byKey.computeIfAbsent((String) pair[0], k -> new ArrayList<>()).add((String) pair[1]));
            return byKey;
        });
    }

    private Uni<SshKey> require(String name) {
        return keys.findByName(name).map(NotFoundException.ifMissing("key", name));
    }
}

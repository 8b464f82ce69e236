package io.testum.keys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.common.ConflictException;
import io.testum.common.Names;
import io.testum.common.NotFoundException;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Source;
import io.testum.common.Timestamps;
import io.testum.common.ValidationException;
import io.testum.common.Violations;
import io.testum.inventory.ChangesInventory;
import io.testum.inventory.InventoryChanged;
import io.testum.inventory.PlatformDirectory;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Access grants made and changed through the API. */
@ApplicationScoped
public class AccessGrantService {

    private final AccessGrantRepository grants;
    private final SshKeyRepository keys;
    private final Pool pool;

    public AccessGrantService(AccessGrantRepository grants, SshKeyRepository keys, Pool pool) {
        this.grants = grants;
        this.keys = keys;
        this.pool = pool;
    }

    public Uni<Page<AccessGrantView>> list(String q, PageRequest page) {
        Instant now = Timestamps.now();
        return grants.search(q, page).map(result -> result.map(g -> AccessGrantView.of(g, now)));
    }

    public Uni<AccessGrantView> get(String name) {
        return require(pool, name).map(g -> AccessGrantView.of(g, Timestamps.now()));
    }

    @ChangesInventory(InventoryChanged.What.GRANTS)
    public Uni<AccessGrantView> create(AccessGrantRequest request) {
        return pool.withTransaction(c -> resolved(c, request, true).flatMap(members -> grants.findByName(c, request.name())
                .flatMap(existing -> {
                    if (existing != null) {
                        throw new ConflictException("access grant '" + request.name() + "' already exists");
                    }
                    AccessGrant grant = new AccessGrant();
                    grant.name = request.name();
                    grant.source = Source.API;
                    apply(grant, request, members);
                    return grant.save(c).map(x -> AccessGrantView.of(grant, Timestamps.now()));
                })));
    }

    @ChangesInventory(InventoryChanged.What.GRANTS)
    public Uni<AccessGrantView> update(String name, AccessGrantRequest request) {
        return Uni.createFrom().deferred(() -> {
            if (request.name() != null && !request.name().equals(name)) {
                throw new ValidationException("name", "is '" + request.name() + "' but the path names '" + name
                        + "'; grants cannot be renamed");
            }
            AccessGrantRequest named = new AccessGrantRequest(name, request.keys(), request.platforms(), request.selector(),
                    request.user(), request.options(), request.expires(), request.description());
            return pool.withTransaction(c -> require(c, name).flatMap(grant -> {
                Source.requireApiManaged("access grant", name, grant.source, grant.sourceRevision);
                return resolved(c, named, false).flatMap(members -> {
                    apply(grant, named, members);
                    return grant.save(c).map(x -> AccessGrantView.of(grant, Timestamps.now()));
                });
            }));
        });
    }

    @ChangesInventory(InventoryChanged.What.GRANTS)
    public Uni<Void> delete(String name) {
        return pool.withTransaction(c -> require(c, name).flatMap(grant -> {
            Source.requireApiManaged("access grant", name, grant.source, grant.sourceRevision);
            return grant.delete(c);
        }));
    }

    /** The keys and platforms a grant names, after every rule is checked; all problems at once. */
    private Uni<Members> resolved(SqlClient c, AccessGrantRequest r, boolean creating) {
        Violations v = new Violations();
        AccessGrantRules.check(r, v);
        if (creating && r.expires() != null) {
            v.check(r.expires().isAfter(Timestamps.now()), "expires", "is in the past; a new grant must expire in the future");
        }
        List<String> keyNames = r.keys() == null ? List.of() : r.keys().stream().filter(n -> n != null).toList();
        List<String> platformNames = r.platforms() == null ? List.of() : r.platforms().stream().filter(n -> n != null).toList();
        return keys.findByNames(c, keyNames).flatMap(foundKeys -> PlatformDirectory.ids(c, new LinkedHashSet<>(platformNames))
                .map(platformByName -> {
                    Map<String, SshKey> keyByName = foundKeys.stream().collect(Collectors.toMap(k -> k.name, k -> k));
                    for (int i = 0; i < keyNames.size(); i++) {
                        String name = keyNames.get(i);
                        v.check(keyByName.containsKey(name) || !Names.OBJECT_NAME.matcher(name).matches(), "keys[" + i + "]",
                                "key '" + name + "' does not exist");
                    }
                    for (int i = 0; i < platformNames.size(); i++) {
                        String name = platformNames.get(i);
                        v.check(platformByName.containsKey(name) || !Names.DNS_LABEL.matcher(name).matches(),
                                "platforms[" + i + "]", "platform '" + name + "' does not exist");
                    }
                    v.throwIfAny();
                    List<AccessGrant.Member> k = new ArrayList<>();
                    keyNames.forEach(n -> k.add(new AccessGrant.Member(keyByName.get(n).id, n)));
                    List<AccessGrant.Member> p = new ArrayList<>();
                    platformNames.forEach(n -> p.add(new AccessGrant.Member(platformByName.get(n), n)));
                    return new Members(k, p);
                }));
    }

    private static void apply(AccessGrant grant, AccessGrantRequest r, Members members) {
        grant.keys = members.keys();
        grant.platforms = members.platforms();
        grant.selector = r.selector() == null || r.selector().isEmpty() ? null : Map.copyOf(r.selector());
        grant.loginUser = r.user();
        grant.options = r.options() == null || r.options().isBlank() ? null : r.options().strip();
        grant.expiresAt = r.expires();
        grant.description = r.description();
        grant.touch();
    }

    private Uni<AccessGrant> require(SqlClient c, String name) {
        return grants.findByName(c, name).map(NotFoundException.ifMissing("access grant", name));
    }

    private record Members(List<AccessGrant.Member> keys, List<AccessGrant.Member> platforms) {
    }
}

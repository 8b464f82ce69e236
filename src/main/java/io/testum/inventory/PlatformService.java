package io.testum.inventory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.audit.AuditContext;
import io.testum.auth.Caller;
import io.testum.auth.Role;
import io.testum.common.ConflictException;
import io.testum.common.ForbiddenException;
import io.testum.common.NotFoundException;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Source;
import io.testum.common.Violations;
import io.testum.keys.Credential;
import io.testum.keys.CredentialBinding;
import io.testum.keys.CredentialService;
import io.testum.keys.InlineSecret;
import io.testum.keys.KeyDirectory;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Platforms made and changed through the API. */
@ApplicationScoped
public class PlatformService {

    private final PlatformRepository platforms;
    private final CredentialService credentialService;
    private final AuditContext audit;
    private final Pool pool;

    public PlatformService(PlatformRepository platforms, CredentialService credentialService,
            AuditContext audit, Pool pool) {
        this.platforms = platforms;
        this.credentialService = credentialService;
        this.audit = audit;
        this.pool = pool;
    }

    /** Reachability values a list may be filtered by, as the reachability check records them. */
    static final List<String> REACHABILITY = Reachability.words();

    public Uni<Page<PlatformView>> list(List<Labels.Filter> labels, String q, String reachability, PageRequest page) {
        return Uni.createFrom().deferred(() -> {
            if (reachability != null && !REACHABILITY.contains(reachability)) {
                throw new io.testum.common.ValidationException("reachability", "must be reachable, unreachable or unknown, not '"
                        + reachability + "'");
            }
            return platforms.search(labels, q, reachability, page)
                    .flatMap(result -> withCredentialNames(pool, result.items()).map(x -> result.map(PlatformView::of)));
        });
    }

    public Uni<PlatformView> get(String name) {
        return require(pool, name).flatMap(platform -> withCredentialNames(pool, List.of(platform)).map(x -> PlatformView.of(platform)));
    }

    /** Gives each platform the name of its credential, asked of {@code keys}. */
    private static Uni<Void> withCredentialNames(SqlClient c, List<Platform> list) {
        Set<Long> ids = list.stream().map(p -> p.credentialId).filter(Objects::nonNull).collect(Collectors.toSet());
        return KeyDirectory.credentialNames(c, ids).map(names -> {
            list.forEach(p -> p.credentialName = p.credentialId == null ? null : names.get(p.credentialId));
            return null;
        });
    }

    public Uni<PlatformView> create(PlatformRequest request, Caller caller) {
        return create(request, null, caller);
    }

    /**
     * Creates an API-managed platform. Only an admin may declare {@code host_key}; the address of a
     * platform an operator creates is not vouched for (see {@link Platform#addressVouched}). With an
     * inline {@code secret} (the earlier API's {@code password} or {@code private_key}), the secret
     * is sealed as a credential of the platform's name that belongs to the platform, and audited as
     * {@code credential.import}.
     */
    public Uni<PlatformView> create(PlatformRequest request, InlineSecret secret, Caller caller) {
        if (!isAdmin(caller) && request.hostKey() != null) {
            throw hostKeyIsAdmins(caller, request.name());
        }
        return sealed(request, secret).flatMap(sealed -> createSealed(request, sealed, caller));
    }

    @ChangesInventory(InventoryChanged.What.PLATFORMS)
    Uni<PlatformView> createSealed(PlatformRequest request, CredentialService.Sealed sealed, Caller caller) {
        boolean admin = isAdmin(caller);
        return pool.withTransaction(c -> Uni.createFrom().deferred(() -> validated(c, request, null, sealed != null))
                .flatMap(credential -> platforms.findByName(c, request.name()).flatMap(existing -> {
                    if (existing != null) {
                        throw new ConflictException("platform '" + request.name() + "' already exists");
                    }
                    Platform platform = new Platform();
                    platform.name = request.name();
                    platform.source = Source.API;
                    apply(platform, request, credential);
                    platform.addressVouched = admin;
                    if (sealed == null) {
                        return platform.save(c).chain(() -> declare(c, platform, admin, caller)).map(x -> PlatformView.of(platform));
                    }
                    return credentialService.owned(c, null, request.name(), sealed)
                            .flatMap(owned -> {
                                usesOwn(platform, owned, sealed);
                                return platform.save(c).replaceWith(owned);
                            })
                            .flatMap(owned -> {
                                owned.ownerPlatformId = platform.id;
                                auditInline(owned);
                                return credentialService.saveOwned(c, owned);
                            })
                            .chain(owned -> declare(c, platform, admin, caller))
                            .map(x -> PlatformView.of(platform));
                })));
    }

    /** The platform logs in with the credential it was sent with. */
    private static void usesOwn(Platform platform, Credential owned, CredentialService.Sealed sealed) {
        platform.credentialId = owned.id;
        platform.credentialName = owned.name;
        platform.authMethod = sealed.kind();
    }

    public Uni<PlatformView> update(String name, PlatformRequest request, Caller caller) {
        return update(name, request, null, caller);
    }

    /**
     * Replaces an API-managed platform. An operator may not set, change or remove {@code host_key},
     * nor point a platform whose address has a pinned host key at another address: the pin stays
     * with the address, so testum would trust whatever answers at the new one. An inline
     * {@code secret} replaces the secret of the credential the platform owns, or makes one.
     */
    public Uni<PlatformView> update(String name, PlatformRequest request, InlineSecret secret, Caller caller) {
        PlatformRequest named = withPathName(name, request);
        return sealed(named, secret).flatMap(sealed -> updateSealed(named, sealed, caller));
    }

    @ChangesInventory(InventoryChanged.What.PLATFORMS)
    Uni<PlatformView> updateSealed(PlatformRequest named, CredentialService.Sealed sealed, Caller caller) {
        String name = named.name();
        boolean admin = isAdmin(caller);
        return pool.withTransaction(c -> require(c, name).flatMap(platform -> {
            Source.requireApiManaged("platform", name, platform.source, platform.sourceRevision);
            if (!admin && !Objects.equals(named.hostKey(), platform.hostKey)) {
                throw hostKeyIsAdmins(caller, name);
            }
            boolean moved = named.host() != null && !sameAddress(platform, named);
            Uni<Void> allowed = moved && !admin ? HostKeyPins.find(c, platform.host, platform.port).map(found -> {
                String pin = found == null ? null : found.fingerprint();
                if (pin != null || platform.hostKey != null) {
                    throw new ForbiddenException("platform '" + name + "' has the host key " + (pin != null ? pin : platform.hostKey)
                            + " pinned for " + address(platform.host, platform.port) + "; only an admin may point it at another "
                            + "address (the pin stays with the address, so testum would trust whatever answers at the new one). "
                            + "'" + caller.username() + "' is " + caller.role().label());
                }
                return null;
            }).replaceWithVoid() : Uni.createFrom().voidItem();
            boolean keyChanged = !Objects.equals(named.hostKey(), platform.hostKey);
            return allowed.chain(() -> validated(c, named, platform.id, sealed != null)).chain(credential -> {
                apply(platform, named, credential);
                if (moved) {
                    platform.addressVouched = admin;
                }
                Uni<Void> written = sealed == null
                        ? platform.save(c).chain(() -> dropOwnedUnlessUsed(c, platform, credential))
                        : credentialService.owned(c, platform.id, name, sealed).chain(owned -> {
                            usesOwn(platform, owned, sealed);
                            auditInline(owned);
                            return platform.save(c);
                        });
                return written.chain(() -> keyChanged || moved ? declare(c, platform, admin, caller) : Uni.createFrom().voidItem());
            }).map(x -> PlatformView.of(platform));
        }));
    }

    /** Within {@code c}, after the platform is stored: a credential it owns goes when it no longer logs in with it. */
    private Uni<Void> dropOwnedUnlessUsed(SqlClient c, Platform platform, Credential now) {
        return credentialService.ownedBy(c, platform.id).flatMap(owned -> {
            if (owned == null || (now != null && owned.id.equals(now.id))) {
                return Uni.createFrom().voidItem();
            }
            return credentialService.deleteOwned(c, owned);
        });
    }

    /** The inline secret checked and sealed (off the event loop), or null without one. */
    private Uni<CredentialService.Sealed> sealed(PlatformRequest request, InlineSecret secret) {
        if (secret == null) {
            return Uni.createFrom().nullItem();
        }
        Violations v = new Violations();
        PlatformRules.check(request, v);
        v.check(request.credential() == null, "credential",
                "give either credential (the name of one) or the secret to log in with (password or private_key), not both");
        v.throwIfAny();
        return credentialService.sealInline(request.name(), secret, request.authMethod());
    }

    private void auditInline(Credential owned) {
        audit.also("credential.import", owned.name, Map.of("platform", owned.name, "kind", owned.kind, "sent_with", "platform"));
    }

    /** An admin's declared host key is the pin of the platform's address from now on. */
    private static Uni<Void> declare(SqlClient c, Platform platform, boolean admin, Caller caller) {
        if (!admin || platform.hostKey == null) {
            return Uni.createFrom().voidItem();
        }
        return HostKeyPins.declare(c, platform.host, platform.port, platform.hostKey, caller.username());
    }

    private static boolean sameAddress(Platform platform, PlatformRequest request) {
        int port = request.port() == null ? PlatformRules.DEFAULT_PORT : request.port();
        return platform.host.equalsIgnoreCase(request.host()) && platform.port == port;
    }

    private static boolean isAdmin(Caller caller) {
        return caller != null && caller.role().includes(Role.ADMIN);
    }

    private static ForbiddenException hostKeyIsAdmins(Caller caller, String platform) {
        return new ForbiddenException("only an admin may set, change or remove the host_key of platform '" + platform
                + "': a declared key decides which machine testum trusts with its credentials"
                + (caller == null ? "" : ". '" + caller.username() + "' is " + caller.role().label()));
    }

    private static String address(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @ChangesInventory(InventoryChanged.What.PLATFORMS)
    public Uni<Void> delete(String name) {
        return pool.withTransaction(c -> require(c, name).flatMap(platform -> {
            Source.requireApiManaged("platform", name, platform.source, platform.sourceRevision);
            return KeyDirectory.grantsNaming(c, platform.id).flatMap(grants -> {
                if (!grants.isEmpty()) {
                    throw new ConflictException("platform '" + name + "' is named by access grants " + grants
                            + "; remove it from them first");
                }
                return platform.delete(c);
            });
        }));
    }

    private Uni<Platform> require(SqlClient c, String name) {
        return platforms.findByName(c, name).map(NotFoundException.ifMissing("platform", name));
    }

    /**
     * Checks every rule, including that the credential exists, suits the auth method and belongs to no
     * other platform. With {@code inline}, the credential comes with the request and is not looked up.
     */
    private Uni<Credential> validated(SqlClient c, PlatformRequest request, Long platformId, boolean inline) {
        Violations v = new Violations();
        PlatformRules.check(request, v);
        if (inline || request.credential() == null || request.credential().isBlank()) {
            v.throwIfAny();
            return Uni.createFrom().nullItem();
        }
        return credentialService.findByName(c, request.credential()).chain(credential -> credentialService.binding(c, request.credential())
                .map(binding -> {
                    if (credential == null) {
                        v.add("credential", "credential '" + request.credential() + "' does not exist; create it under /api/credentials");
                    } else if (credential.ownerPlatformId != null && !credential.ownerPlatformId.equals(platformId)) {
                        v.add("credential", "credential '" + credential.name + "' was sent with platform '" + credential.name
                                + "' and belongs to it; no other platform logs in with it");
                    } else if (credential.kind != null && PlatformRules.isAuthMethod(request.authMethod())
                            && !credential.kind.equals(request.authMethod())) {
                        v.add("credential", "credential '" + credential.name + "' holds a " + credential.kind
                                + ", but auth_method is " + request.authMethod());
                    }
                    Map<String, String> labels = request.labels() == null ? Map.of() : request.labels();
                    if (credential != null && binding != null
                            && !CredentialBinding.allows(binding.platforms(), binding.selector(), request.name(), labels)) {
                        v.add("credential", "credential '" + credential.name + "' is bound to "
                                + CredentialBinding.describe(binding.platforms(), binding.selector()) + "; platform '" + request.name()
                                + "' is not among them. An admin can change the binding (PUT /api/credentials/" + credential.name + "/binding)");
                    }
                    v.throwIfAny();
                    return credential;
                }));
    }

    private static void apply(Platform p, PlatformRequest r, Credential credential) {
        p.host = r.host();
        p.port = r.port() == null ? PlatformRules.DEFAULT_PORT : r.port();
        p.username = r.username();
        p.authMethod = r.authMethod();
        p.credentialId = credential == null ? null : credential.id;
        p.credentialName = credential == null ? null : credential.name;
        p.hostKey = r.hostKey();
        p.labels = r.labels() == null ? Map.of() : Map.copyOf(r.labels());
        p.authorizedKeysPath = Objects.requireNonNullElse(r.authorizedKeysPath(), PlatformRules.DEFAULT_AUTHORIZED_KEYS_PATH);
        p.authorizedKeysMode = Objects.requireNonNullElse(r.authorizedKeysMode(), PlatformRules.MODE_MERGE);
        p.description = r.description();
        p.touch();
    }

    private static PlatformRequest withPathName(String name, PlatformRequest r) {
        if (r.name() != null && !r.name().equals(name)) {
            throw new io.testum.common.ValidationException("name",
                    "is '" + r.name() + "' but the path names '" + name + "'; platforms cannot be renamed");
        }
        return new PlatformRequest(name, r.host(), r.port(), r.username(), r.authMethod(), r.credential(), r.hostKey(),
                r.labels(), r.authorizedKeysPath(), r.authorizedKeysMode(), r.description());
    }
}

package io.testum.inventory;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.testum.common.ConflictException;
import io.testum.common.NotFoundException;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Source;
import io.testum.common.Violations;
import io.testum.audit.AuditContext;
import io.testum.keys.Credential;
import io.testum.keys.CredentialRepository;
import io.testum.keys.CredentialService;
import io.testum.keys.InlineSecret;

/** Platforms made and changed through the API. */
@ApplicationScoped
public class PlatformService {

    private final PlatformRepository platforms;
    private final CredentialRepository credentials;
    private final CredentialService credentialService;
    private final AuditContext audit;

    public PlatformService(PlatformRepository platforms, CredentialRepository credentials, CredentialService credentialService,
            AuditContext audit) {
        this.platforms = platforms;
        this.credentials = credentials;
        this.credentialService = credentialService;
        this.audit = audit;
    }

    /** Reachability values a list may be filtered by, as the reachability check records them. */
    static final List<String> REACHABILITY = List.of("reachable", "unreachable", "unknown");

    @WithSession
    public Uni<Page<PlatformView>> list(List<Labels.Filter> labels, String q, String reachability, PageRequest page) {
        if (reachability != null && !REACHABILITY.contains(reachability)) {
            throw new io.testum.common.ValidationException("reachability", "must be reachable, unreachable or unknown, not '"
                    + reachability + "'");
        }
        return platforms.search(labels, q, reachability, page).map(p -> p.map(PlatformView::of));
    }

    @WithSession
    public Uni<PlatformView> get(String name) {
        return require(name).map(PlatformView::of);
    }

    public Uni<PlatformView> create(PlatformRequest request) {
        return create(request, null);
    }

    /**
     * Creates a platform; with an inline {@code secret} (the earlier API's {@code password} or
     * {@code private_key}), the secret is sealed as a credential of the platform's name that belongs
     * to the platform, and audited as {@code credential.import}.
     */
    public Uni<PlatformView> create(PlatformRequest request, InlineSecret secret) {
        return sealed(request, secret).flatMap(sealed -> createSealed(request, sealed));
    }

    @WithTransaction
    Uni<PlatformView> createSealed(PlatformRequest request, CredentialService.Sealed sealed) {
        return validated(request, null, sealed != null).flatMap(credential -> platforms.findByName(request.name()).flatMap(existing -> {
            if (existing != null) {
                throw new ConflictException("platform '" + request.name() + "' already exists");
            }
            Platform platform = new Platform();
            platform.name = request.name();
            platform.source = Source.API;
            apply(platform, request, credential);
            if (sealed == null) {
                return platforms.persist(platform).map(PlatformView::of);
            }
            return credentialService.owned(null, request.name(), sealed)
                    .flatMap(owned -> {
                        platform.credential = owned;
                        platform.authMethod = sealed.kind();
                        return platforms.persistAndFlush(platform).map(p -> owned);
                    })
                    .flatMap(owned -> {
                        owned.ownerPlatformId = platform.id;
                        auditInline(owned);
                        return credentials.persist(owned).map(c -> PlatformView.of(platform));
                    });
        }));
    }

    public Uni<PlatformView> update(String name, PlatformRequest request) {
        return update(name, request, null);
    }

    /** Updates a platform; an inline {@code secret} replaces the secret of the credential the platform owns, or makes one. */
    public Uni<PlatformView> update(String name, PlatformRequest request, InlineSecret secret) {
        PlatformRequest named = withPathName(name, request);
        return sealed(named, secret).flatMap(sealed -> updateSealed(named, sealed));
    }

    @WithTransaction
    Uni<PlatformView> updateSealed(PlatformRequest named, CredentialService.Sealed sealed) {
        String name = named.name();
        return require(name).flatMap(platform -> {
            Source.requireApiManaged("platform", name, platform.source, platform.sourceRevision);
            return validated(named, platform.id, sealed != null).flatMap(credential -> {
                apply(platform, named, credential);
                if (sealed == null) {
                    return dropOwnedUnlessUsed(platform, credential).map(x -> PlatformView.of(platform));
                }
                return credentialService.owned(platform.id, name, sealed).map(owned -> {
                    platform.credential = owned;
                    platform.authMethod = sealed.kind();
                    auditInline(owned);
                    return PlatformView.of(platform);
                });
            });
        });
    }

    /** A credential the platform owns goes when the platform no longer logs in with it. */
    private Uni<Void> dropOwnedUnlessUsed(Platform platform, Credential now) {
        return credentials.find("ownerPlatformId", platform.id).firstResult().flatMap(owned -> {
            if (owned == null || (now != null && owned.id.equals(now.id))) {
                return Uni.createFrom().voidItem();
            }
            return platforms.flush().flatMap(x -> credentials.delete(owned));
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

    @WithTransaction
    public Uni<Void> delete(String name) {
        return require(name).flatMap(platform -> {
            Source.requireApiManaged("platform", name, platform.source, platform.sourceRevision);
            return platforms.grantsNaming(platform.id).flatMap(grants -> {
                if (!grants.isEmpty()) {
                    throw new ConflictException("platform '" + name + "' is named by access grants " + grants
                            + "; remove it from them first");
                }
                return platforms.delete(platform);
            });
        });
    }

    private Uni<Platform> require(String name) {
        return platforms.findByName(name).map(NotFoundException.ifMissing("platform", name));
    }

    /**
     * Checks every rule, including that the credential exists, suits the auth method and belongs to no
     * other platform. With {@code inline}, the credential comes with the request and is not looked up.
     */
    private Uni<Credential> validated(PlatformRequest request, Long platformId, boolean inline) {
        Violations v = new Violations();
        PlatformRules.check(request, v);
        if (inline || request.credential() == null || request.credential().isBlank()) {
            v.throwIfAny();
            return Uni.createFrom().nullItem();
        }
        return credentials.findByName(request.credential()).map(credential -> {
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
            v.throwIfAny();
            return credential;
        });
    }

    private static void apply(Platform p, PlatformRequest r, Credential credential) {
        p.host = r.host();
        p.port = r.port() == null ? PlatformRules.DEFAULT_PORT : r.port();
        p.username = r.username();
        p.authMethod = r.authMethod();
        p.credential = credential;
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

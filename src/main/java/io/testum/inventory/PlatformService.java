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
import io.testum.keys.Credential;
import io.testum.keys.CredentialRepository;

/** Platforms made and changed through the API. */
@ApplicationScoped
public class PlatformService {

    private final PlatformRepository platforms;
    private final CredentialRepository credentials;

    public PlatformService(PlatformRepository platforms, CredentialRepository credentials) {
        this.platforms = platforms;
        this.credentials = credentials;
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

    @WithTransaction
    public Uni<PlatformView> create(PlatformRequest request) {
        return validated(request).flatMap(credential -> platforms.findByName(request.name()).flatMap(existing -> {
            if (existing != null) {
                throw new ConflictException("platform '" + request.name() + "' already exists");
            }
            Platform platform = new Platform();
            platform.name = request.name();
            platform.source = Source.API;
            apply(platform, request, credential);
            return platforms.persist(platform).map(PlatformView::of);
        }));
    }

    @WithTransaction
    public Uni<PlatformView> update(String name, PlatformRequest request) {
        PlatformRequest named = withPathName(name, request);
        return require(name).flatMap(platform -> {
            Source.requireApiManaged("platform", name, platform.source, platform.sourceRevision);
            return validated(named).map(credential -> {
                apply(platform, named, credential);
                return PlatformView.of(platform);
            });
        });
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

    /** Checks every rule, including that the credential exists and suits the auth method. */
    private Uni<Credential> validated(PlatformRequest request) {
        Violations v = new Violations();
        PlatformRules.check(request, v);
        if (request.credential() == null || request.credential().isBlank()) {
            v.throwIfAny();
            return Uni.createFrom().nullItem();
        }
        return credentials.findByName(request.credential()).map(credential -> {
            if (credential == null) {
                v.add("credential", "credential '" + request.credential() + "' does not exist; create it under /api/credentials");
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

package io.testum.inventory;

import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/**
 * The platforms as entities, for features that hold them in their own Hibernate session: an
 * access grant's member platforms, the platforms a credential is used by. The platforms table
 * stays this package's; the others go through here.
 */
@ApplicationScoped
public class PlatformEntities {

    private final PlatformRepository platforms;

    PlatformEntities(PlatformRepository platforms) {
        this.platforms = platforms;
    }

    /** The platforms named that exist, each with its credential. */
    public Uni<List<Platform>> byNames(Collection<String> names) {
        return platforms.findByNames(names);
    }

    /** Names of the platforms that log in with the credential. */
    public Uni<List<String>> namesUsingCredential(long credentialId) {
        return platforms.namesUsingCredential(credentialId);
    }
}

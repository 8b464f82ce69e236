package io.testum.deploy;

import io.smallrye.mutiny.Uni;

/**
 * Whether the GitOps source that manages a platform asks for drift to be reported only, not
 * repaired, and what it asks for keys outside the managed block. Implemented by {@code gitops}, which owns the sources; deploy does not depend on it.
 */
public interface DriftPolicy {

    /** {@code true} when the source named {@code source} says {@code drift: report}; false for none. */
    Uni<Boolean> reportOnly(String source);

    /** What the source named {@code source} says about keys outside the managed block; {@code keep} for none. */
    Uni<UnmanagedMode> unmanaged(String source);
}

package io.testum.gitops;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.deploy.DriftPolicy;
import io.testum.deploy.UnmanagedMode;

/** Deploy's questions about drift and unmanaged keys, answered from the sources that gitops owns. */
@ApplicationScoped
class SourceDriftPolicy implements DriftPolicy {

    private final SourceRepository sources;

    SourceDriftPolicy(SourceRepository sources) {
        this.sources = sources;
    }

    @Override
    public Uni<Boolean> reportOnly(String source) {
        return sources.driftReportOnly(source);
    }

    @Override
    public Uni<UnmanagedMode> unmanaged(String source) {
        return sources.unmanaged(source);
    }
}

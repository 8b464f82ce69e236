package io.testum.gitops;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Parses and checks the fetched document (SPEC §3); an invalid one stalls. Pure: no I/O. */
@ApplicationScoped
class ParseStep implements ReconcileStep {

    private final int maxObjects;

    @Inject
    ParseStep(GitopsConfig config) {
        this(config.maxDocumentObjects());
    }

    ParseStep(int maxObjects) {
        this.maxObjects = maxObjects;
    }

    @Override
    public String name() {
        return "parse";
    }

    @Override
    public Optional<Outcome> run(ReconcileRun run) {
        try {
            run.document(DocumentParser.parse(run.fetched().files(), maxObjects));
            return Optional.empty();
        } catch (DocumentException e) {
            return Optional.of(new Outcome.Stalled(e.errors(), null));
        }
    }
}

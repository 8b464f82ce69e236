package io.testum.gitops;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.testum.common.FieldError;

/**
 * Fetches the source's branch. A failed fetch waits (retried with backoff); a document that cannot
 * be read from the revision stalls. Unless the run is forced, a revision already applied, or already
 * found invalid, ends the run here with nothing to do.
 */
@ApplicationScoped
class FetchStep implements ReconcileStep {

    private final SourceFetch fetch;

    FetchStep(SourceFetch fetch) {
        this.fetch = fetch;
    }

    @Override
    public String name() {
        return "fetch";
    }

    @Override
    public Optional<Outcome> run(ReconcileRun run) {
        GitSource source = run.source();
        try {
            run.fetched(fetch.fetch(source, source.branch()));
        } catch (GitFetcher.FetchException e) {
            return Optional.of(new Outcome.Waiting(e.getMessage()));
        } catch (GitFetcher.UnreadableDocumentException e) {
            return Optional.of(new Outcome.Stalled(List.of(FieldError.at(source.path() == null ? "(repository)" : source.path(),
                    1, 1, e.getMessage())), null));
        }
        return unchanged(run);
    }

    /** Whether the fetched revision leaves nothing to do: applied and ready, or found invalid before. */
    static Optional<Outcome> unchanged(ReconcileRun run) {
        GitSource source = run.source();
        String revision = run.revision();
        if (run.force()) {
            return Optional.empty();
        }
        if (revision.equals(source.lastAppliedRevision()) && source.ready()) {
            return Optional.of(new Outcome.NothingToDo(RunResult.Result.UNCHANGED, ReconcileReason.UP_TO_DATE,
                    "revision " + Reconciler.shortRevision(revision) + " is applied"));
        }
        if (revision.equals(source.lastFetchedRevision()) && source.reason() == ReconcileReason.VALIDATION_FAILED) {
            return Optional.of(new Outcome.NothingToDo(RunResult.Result.STALLED, ReconcileReason.VALIDATION_FAILED,
                    "revision " + Reconciler.shortRevision(revision) + " is invalid; waiting for a new revision"));
        }
        return Optional.empty();
    }
}

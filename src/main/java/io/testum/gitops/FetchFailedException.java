package io.testum.gitops;

import io.testum.common.ProblemException;

/** The Git server of a source could not be fetched from, for a request that needed it now: 502. */
public class FetchFailedException extends ProblemException {

    /** @param message why, without credentials (a {@link GitFetcher.FetchException}'s message) */
    public FetchFailedException(String message) {
        super(502, "fetch-failed", "Fetch failed", message, null);
    }
}

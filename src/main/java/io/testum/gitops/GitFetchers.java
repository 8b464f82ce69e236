package io.testum.gitops;

import java.nio.file.Path;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import io.testum.secrets.SecretsConfig;

/**
 * The fetchers testum uses, each with mirrors of its own under the data directory: reconciles
 * ({@value #RECONCILE}), diffs ({@value #PREVIEW}: a preview never races a reconcile's fetch, nor
 * waits for it) and imports of any repository ({@value #IMPORT}: scratch mirrors, removed after use).
 */
@Singleton
class GitFetchers {

    static final String RECONCILE = "gitops";
    static final String PREVIEW = "gitops-preview";
    static final String IMPORT = "gitops-import";

    @Produces
    @Singleton
    @Named(RECONCILE)
    GitFetcher reconcile(SecretsConfig local, GitopsConfig config) {
        return fetcher(local, config, RECONCILE);
    }

    @Produces
    @Singleton
    @Named(PREVIEW)
    GitFetcher preview(SecretsConfig local, GitopsConfig config) {
        return fetcher(local, config, PREVIEW);
    }

    @Produces
    @Singleton
    @Named(IMPORT)
    GitFetcher imports(SecretsConfig local, GitopsConfig config) {
        return fetcher(local, config, IMPORT);
    }

    private static GitFetcher fetcher(SecretsConfig local, GitopsConfig config, String dir) {
        Path mirrors = local.dataDir().resolve(dir).toAbsolutePath().normalize();
        return new GitFetcher(mirrors, GitFetcher.Limits.of(config));
    }
}

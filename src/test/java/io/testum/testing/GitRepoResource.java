package io.testum.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A fresh Git repository (made with {@code git init}, see {@link GitRepo}) for every test. A
 * {@code @QuarkusTest} says {@code @WithTestResource(GitRepoResource.class)} and declares a field
 * {@code GitRepo repo;}: each test instance gets a new, empty repository on branch {@code main}
 * whose directory is named {@code ops}. The repositories live in one directory per test class,
 * removed when the application stops.
 */
public class GitRepoResource implements QuarkusTestResourceLifecycleManager {

    private final AtomicInteger count = new AtomicInteger();
    private Path root;

    @Override
    public Map<String, String> start() {
        try {
            root = Files.createTempDirectory("testum-git-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of();
    }

    @Override
    public void inject(TestInjector testInjector) {
        GitRepo repo = GitRepo.init(root.resolve(Integer.toString(count.incrementAndGet())).resolve("ops"));
        testInjector.injectIntoFields(repo, new TestInjector.MatchesType(GitRepo.class));
    }

    @Override
    public void stop() {
        if (root != null) {
            SshFleet.deleteTree(root);
        }
    }
}

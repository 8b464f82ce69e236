package io.testum.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A running {@code git daemon} on 127.0.0.1 that serves the repositories published to it. */
public final class GitDaemon {

    private final Path base;
    private final int port;

    GitDaemon(Path base, int port) {
        this.base = base;
        this.port = port;
    }

    public int port() {
        return port;
    }

    /**
     * Serves {@code repo} as it is now and as it will be (a link to its directory) under {@code name},
     * replacing what was served under that name.
     *
     * @return the {@code git://} URL of it
     */
    public String serve(String name, GitRepo repo) {
        try {
            Path link = base.resolve(name);
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, repo.dir().toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "git://127.0.0.1:" + port + "/" + name;
    }
}

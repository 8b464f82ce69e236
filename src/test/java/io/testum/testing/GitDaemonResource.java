package io.testum.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real {@code git daemon} (the {@code git://} protocol) for a test class. A {@code @QuarkusTest}
 * says {@code @WithTestResource(GitDaemonResource.class)} and declares a field
 * {@code GitDaemon daemon;}; a test that runs the packaged service registers it as a JUnit
 * extension and reads {@link #daemon()}. The daemon exports every repository
 * {@link GitDaemon#serve published} to it and stops with the application (or the test class).
 */
public class GitDaemonResource implements QuarkusTestResourceLifecycleManager, BeforeAllCallback, AfterAllCallback {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private Path base;
    private Process process;
    private GitDaemon daemon;

    @Override
    public Map<String, String> start() {
        try {
            base = Files.createTempDirectory("testum-git-daemon-");
            int port = Ports.free();
            process = new ProcessBuilder("git", "daemon", "--reuseaddr", "--export-all", "--listen=127.0.0.1",
                    "--port=" + port, "--base-path=" + base).redirectErrorStream(true)
                    .redirectOutput(base.resolve("daemon.log").toFile()).start();
            await("git daemon listening on " + port).atMost(START_TIMEOUT).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(20)).until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("git daemon exited with " + process.exitValue());
                        }
                        return Ports.listening(port);
                    });
            daemon = new GitDaemon(base, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of();
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(daemon, new TestInjector.MatchesType(GitDaemon.class));
    }

    @Override
    public void stop() {
        if (process != null) {
            process.destroy();
            process = null;
        }
        if (base != null) {
            SshFleet.deleteTree(base);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** The running daemon. */
    public GitDaemon daemon() {
        return daemon;
    }
}

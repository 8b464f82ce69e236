package io.testum.stats;

import java.time.Duration;
import java.util.Arrays;

import jakarta.enterprise.context.ApplicationScoped;

import io.testum.deploy.DesiredState;
import io.testum.deploy.PlatformConnector;
import io.testum.ssh.ExecResult;
import io.testum.ssh.InteractiveLimit;
import io.testum.ssh.SshConnection;
import io.testum.ssh.SshFailure;
import io.testum.ssh.SshWork;

/**
 * Runs one read-only command on a platform over its own SSH login, for the stats and container
 * views. Every SSH failure, and a command that runs out of time, becomes a 502 that names the
 * platform. Blocking.
 */
@ApplicationScoped
class RemoteCommands {

    private final PlatformConnector sessions;
    private final InteractiveLimit limit;

    RemoteCommands(PlatformConnector sessions, InteractiveLimit limit) {
        this.sessions = sessions;
        this.limit = limit;
    }

    /** The platform named {@code name}; 404 when there is none. */
    DesiredState.PlatformRow platform(String name) {
        return sessions.require(name);
    }

    /**
     * Runs {@code command} for {@code requester}, keeping at most {@code maxBytes} of each output
     * stream; 429 when the requester had their share of SSH logins ({@link InteractiveLimit}).
     */
    ExecResult run(DesiredState.PlatformRow platform, String command, Duration timeout, int maxBytes, String requester) {
        limit.acquire(requester);
        ExecResult result;
        try (SshConnection connection = sessions.open(platform, SshWork.INTERACTIVE)) {
            result = connection.exec(command, null, timeout, maxBytes);
        } catch (SshFailure e) {
            throw new PlatformUnavailableException("SSH to platform '" + platform.name() + "' failed: " + e.getMessage());
        }
        if (result.timedOut()) {
            throw new PlatformUnavailableException("'" + command + "' on platform '" + platform.name() + "' did not finish within "
                    + timeout.toSeconds() + " s and was stopped");
        }
        return result;
    }

    /** The first lines of a command's error output, short enough for a problem's detail. */
    static String excerpt(String text) {
        String[] lines = text.strip().split("\r?\n");
        String first = String.join(" / ", Arrays.copyOf(lines, Math.min(3, lines.length)));
        return first.length() > 500 ? first.substring(0, 500) + "…" : first;
    }
}

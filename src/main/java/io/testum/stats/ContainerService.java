package io.testum.stats;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.testum.common.ConflictException;
import io.testum.common.ValidationException;
import io.testum.deploy.DesiredState;
import io.testum.ssh.ExecResult;

/**
 * A platform's docker containers and their logs, read with the docker command line over SSH as
 * the platform's login user. A host without docker, or whose daemon the user cannot reach, is a
 * state of the platform (409), not a failure of testum.
 */
@ApplicationScoped
public class ContainerService {

    /** A docker container name or ID; nothing the shell would read as more than a word. */
    static final Pattern CONTAINER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    static final int DEFAULT_TAIL = 200;
    static final int MAX_TAIL = 10_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_PS_BYTES = 4 * 1024 * 1024;
    /** Per stream; 10,000 long lines may be cut here. */
    private static final int MAX_LOG_BYTES = 4 * 1024 * 1024;

    private final RemoteCommands remote;

    ContainerService(RemoteCommands remote) {
        this.remote = remote;
    }

    /** Every container on the platform, running or not. */
    public List<Container> list(String name, String requester) {
        DesiredState.PlatformRow platform = remote.platform(name);
        ExecResult result = remote.run(platform, DockerOutput.PS, TIMEOUT, MAX_PS_BYTES, requester);
        if (!result.succeeded()) {
            throw failure(platform, null, "docker ps", result);
        }
        try {
            return DockerOutput.containers(result.stdoutText());
        } catch (UnreadableOutputException e) {
            throw new PlatformUnavailableException("docker ps on platform '" + name + "' answered something testum cannot read: "
                    + e.getMessage());
        }
    }

    /** The last {@code tail} lines (default 200, at most 10,000) the container wrote to stdout and to stderr. */
    public ContainerLogs logs(String name, String container, Integer tail, String requester) {
        if (container == null || !CONTAINER.matcher(container).matches()) {
            throw new ValidationException("id", "must be a container name or ID: a letter or digit, then up to 127 letters, "
                    + "digits, '_', '.' or '-'");
        }
        int lines = tail == null ? DEFAULT_TAIL : tail;
        if (lines < 0 || lines > MAX_TAIL) {
            throw new ValidationException("tail", "must be between 0 and " + MAX_TAIL + " lines");
        }
        DesiredState.PlatformRow platform = remote.platform(name);
        ExecResult result = remote.run(platform, DockerOutput.logs(container, lines), TIMEOUT, MAX_LOG_BYTES, requester);
        if (!result.succeeded()) {
            throw failure(platform, container, "docker logs", result);
        }
        return new ContainerLogs(container, lines, result.stdoutText(), result.stderrText());
    }

    private static RuntimeException failure(DesiredState.PlatformRow platform, String container, String command,
            ExecResult result) {
        String name = platform.name();
        String stderr = RemoteCommands.excerpt(result.stderrText());
        return switch (DockerOutput.classify(result.exitCode(), result.stderrText())) {
            case NOT_INSTALLED -> new ConflictException("docker is not installed on platform '" + name + "': the login shell of '"
                    + platform.username() + "' finds no docker command");
            case DAEMON_UNREACHABLE -> new ConflictException("docker's daemon is not reachable on platform '" + name
                    + "'; is it running? (" + stderr + ")");
            case PERMISSION_DENIED -> new ConflictException("'" + platform.username() + "' may not use docker on platform '"
                    + name + "'; add it to the docker group (" + stderr + ")");
            case NO_SUCH_CONTAINER -> new ContainerNotFoundException(name, container);
            case OTHER -> new PlatformUnavailableException(command + " on platform '" + name + "' failed with exit code "
                    + result.exitCode() + (stderr.isEmpty() ? "" : ": " + stderr));
        };
    }
}

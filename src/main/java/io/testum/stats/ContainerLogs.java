package io.testum.stats;

/**
 * The last lines of a container's output: {@code docker logs} writes what the container wrote to
 * stdout to {@code stdout} and what it wrote to stderr to {@code stderr}.
 *
 * @param container the name or ID asked for
 * @param tail      how many lines of each stream were asked for
 */
public record ContainerLogs(String container, int tail, String stdout, String stderr) {
}

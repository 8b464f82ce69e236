package io.testum.stats;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.testum.ssh.Shell;

/**
 * The docker commands testum runs on a host, and the pure reading of what they answer: the JSON
 * lines of {@code docker ps}, and what a failed command's exit code and stderr mean.
 */
final class DockerOutput {

    /** Every container, running or not, one JSON object a line. */
    static final String PS = "docker ps -a --format '{{json .}}'";

    /** What a failed docker command means. */
    enum Failure {
        /** The login shell has no docker command (exit 127, "docker: not found"). */
        NOT_INSTALLED,
        /** The client runs, but no daemon answers on its socket. */
        DAEMON_UNREACHABLE,
        /** The daemon answers, but the login user may not use its socket. */
        PERMISSION_DENIED,
        /** {@code docker logs} of a name or ID the daemon does not know. */
        NO_SUCH_CONTAINER,
        /** Anything else. */
        OTHER
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Go's {@code time.Time.String()}: {@code 2024-05-01 10:00:00 +0200 CEST}, maybe with a fraction. */
    private static final Pattern GO_TIME = Pattern.compile(
            "^(\\d{4}-\\d{2}-\\d{2}) (\\d{2}:\\d{2}:\\d{2})(\\.\\d{1,9})? ([+-]\\d{2})(\\d{2})(?: \\S+)?$");

    private DockerOutput() {
    }

    /** {@code docker logs} of the last {@code tail} lines; {@code container} is quoted, and {@code --} ends the options. */
    static String logs(String container, int tail) {
        return "docker logs --tail " + tail + " -- " + Shell.quote(container);
    }

    /** The containers of {@code docker ps -a --format '{{json .}}'} output, in docker's order. */
    static List<Container> containers(String stdout) {
        List<Container> containers = new ArrayList<>();
        String[] lines = stdout.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                node = null;
            }
            if (node == null || !node.isObject()) {
                throw new UnreadableOutputException("line " + (i + 1) + " of docker ps is not a JSON object: "
                        + (line.length() > 200 ? line.substring(0, 200) + "…" : line));
            }
            containers.add(container(node));
        }
        return List.copyOf(containers);
    }

    private static Container container(JsonNode node) {
        String id = text(node, "ID", "Id");
        if (id == null) {
            throw new UnreadableOutputException("a line of docker ps has no ID: " + node);
        }
        return new Container(id, name(node.has("Names") ? node.get("Names") : node.get("Name")), text(node, "Image"),
                text(node, "Status"), text(node, "State"), created(text(node, "CreatedAt")), ports(text(node, "Ports")));
    }

    /** The first name: docker joins a container's names (with legacy links) by commas. */
    private static String name(JsonNode names) {
        if (names == null || names.isNull()) {
            return null;
        }
        String first = names.isArray() ? (names.isEmpty() ? "" : names.get(0).asText()) : names.asText().split(",")[0];
        return first.startsWith("/") ? first.substring(1) : first;
    }

    private static List<String> ports(String ports) {
        if (ports == null || ports.isBlank()) {
            return List.of();
        }
        return Arrays.stream(ports.split(",")).map(String::strip).filter(p -> !p.isEmpty()).toList();
    }

    /** docker's {@code CreatedAt}, or null when it is not in Go's time format. */
    static Instant created(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = GO_TIME.matcher(text.strip());
        if (!m.matches()) {
            return null;
        }
        String fraction = m.group(3) == null ? "" : m.group(3);
        return OffsetDateTime.parse(m.group(1) + "T" + m.group(2) + fraction + m.group(4) + ":" + m.group(5)).toInstant();
    }

    private static String text(JsonNode node, String... fields) {
        for (String field : fields) {
            JsonNode value = node.get(field);
            if (value != null && !value.isNull()) {
                return value.asText();
            }
        }
        return null;
    }

    /** What a docker command that did not succeed says, from its exit code and stderr. */
    static Failure classify(Integer exitCode, String stderr) {
        String text = stderr.toLowerCase(Locale.ROOT);
        if (text.contains("permission denied while trying to connect to the docker daemon")) {
            return Failure.PERMISSION_DENIED;
        }
        if (text.contains("cannot connect to the docker daemon") || text.contains("is the docker daemon running")
                || text.contains("error during connect")) {
            return Failure.DAEMON_UNREACHABLE;
        }
        if (text.contains("no such container")) {
            return Failure.NO_SUCH_CONTAINER;
        }
        if ((exitCode != null && exitCode == 127) || text.contains("docker: not found")
                || text.contains("docker: command not found") || text.contains("command not found: docker")
                || text.contains("unknown command: docker")) {
            return Failure.NOT_INSTALLED;
        }
        return Failure.OTHER;
    }
}

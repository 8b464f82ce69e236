package io.testum.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.testum.ssh.Shell;

/** Reading docker's answers: {@code docker ps} JSON lines, failures, and the quoted logs command. */
class DockerOutputTest {

    /** Docker 24's {@code docker ps -a --format '{{json .}}'}: a running container with ports, an exited one with a link. */
    private static final String PS = """
            {"Command":"\\"/docker-entrypoint.…\\"","CreatedAt":"2024-05-01 10:00:00 +0200 CEST","ID":"3f4e5a6b7c8d","Image":"nginx:1.25","Labels":"maintainer=NGINX","LocalVolumes":"0","Mounts":"","Names":"web","Networks":"bridge","Ports":"0.0.0.0:8080->80/tcp, :::8080->80/tcp","RunningFor":"2 hours ago","Size":"0B","State":"running","Status":"Up 2 hours"}
            {"Command":"\\"sh -c 'exit 3'\\"","CreatedAt":"2023-12-31 23:59:59 +0000 UTC","ID":"a1b2c3d4e5f6","Image":"busybox","Labels":"","LocalVolumes":"0","Mounts":"","Names":"job,web/job","Networks":"bridge","Ports":"","RunningFor":"4 months ago","Size":"0B","State":"exited","Status":"Exited (3) 4 months ago"}
            """;

    @Test
    void readsEachJsonLineAsAContainer() {
        assertEquals(List.of(
                new Container("3f4e5a6b7c8d", "web", "nginx:1.25", "Up 2 hours", "running",
                        Instant.parse("2024-05-01T08:00:00Z"), List.of("0.0.0.0:8080->80/tcp", ":::8080->80/tcp")),
                new Container("a1b2c3d4e5f6", "job", "busybox", "Exited (3) 4 months ago", "exited",
                        Instant.parse("2023-12-31T23:59:59Z"), List.of())),
                DockerOutput.containers(PS));
    }

    @Test
    void readsNoContainersFromEmptyOutput() {
        assertEquals(List.of(), DockerOutput.containers(""));
        assertEquals(List.of(), DockerOutput.containers("\n\n"));
    }

    @Test
    void leavesStateNullWhereAnOldDockerDoesNotReportIt() {
        Container c = DockerOutput.containers("{\"ID\":\"abc\",\"Image\":\"x\",\"Names\":\"n\",\"Status\":\"Created\"}").get(0);
        assertNull(c.state());
        assertNull(c.created());
        assertEquals(List.of(), c.ports());
    }

    @Test
    void readsPodmanStyleIdAndNameList() {
        Container c = DockerOutput.containers("{\"Id\":\"0123abcd\",\"Image\":\"alpine\",\"Names\":[\"/db\",\"other\"],"
                + "\"State\":\"running\",\"Status\":\"Up\"}").get(0);
        assertEquals("0123abcd", c.id());
        assertEquals("db", c.name());
    }

    @Test
    void refusesALineThatIsNotJsonAndSaysWhichLine() {
        var e = assertThrows(UnreadableOutputException.class,
                () -> DockerOutput.containers("{\"ID\":\"a\"}\nWARNING: something else\n"));
        assertEquals("line 2 of docker ps is not a JSON object: WARNING: something else", e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "2024-05-01 10:00:00 +0200 CEST|2024-05-01T08:00:00Z",
            "2024-05-01 10:00:00 -0700 MST|2024-05-01T17:00:00Z",
            "2024-05-01 10:00:00.123456789 +0000 UTC|2024-05-01T10:00:00.123456789Z",
            "2024-05-01 10:00:00 +0000|2024-05-01T10:00:00Z"})
    void readsGoTimesWithTheirOffset(String text, String expected) {
        assertEquals(Instant.parse(expected), DockerOutput.created(text));
    }

    @Test
    void readsAnUnknownTimeFormatAsNull() {
        assertNull(DockerOutput.created("2 hours ago"));
    }

    @ParameterizedTest(name = "{2}: exit {0}, {1}")
    @CsvSource(delimiter = '|', value = {
            "127|sh: 1: docker: not found|NOT_INSTALLED",
            "127|bash: docker: command not found|NOT_INSTALLED",
            "127|sh: docker: not found|NOT_INSTALLED",
            "1|zsh:1: command not found: docker|NOT_INSTALLED",
            "127|fish: Unknown command: docker|NOT_INSTALLED",
            "1|Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?|DAEMON_UNREACHABLE",
            "1|error during connect: Get \"http://%2F%2F.%2Fpipe%2Fdocker_engine/v1.24/containers/json\": open //./pipe/docker_engine|DAEMON_UNREACHABLE",
            "1|permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get ...: dial unix /var/run/docker.sock: connect: permission denied|PERMISSION_DENIED",
            "1|Error response from daemon: No such container: nope|NO_SUCH_CONTAINER",
            "1|Error: No such container: nope|NO_SUCH_CONTAINER",
            "1|Error response from daemon: configured logging driver does not support reading|OTHER",
            "126|sh: 1: docker: Permission denied|OTHER"})
    void classifiesWhatAFailedDockerCommandMeans(int exit, String stderr, DockerOutput.Failure expected) {
        assertEquals(expected, DockerOutput.classify(exit, stderr));
    }

    @Test
    void quotesTheContainerOfTheLogsCommandAndEndsOptionsFirst() {
        assertEquals("docker logs --tail 200 -- 'web-1.blue_2'", DockerOutput.logs("web-1.blue_2", 200));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "plain|'plain'",
            "two words|'two words'",
            "it's|'it'\\''s'",
            "$(rm -rf ~); `x` \"y\"|'$(rm -rf ~); `x` \"y\"'",
            "''|''\\'''\\'''"})
    void quotesAnyValueAsOneLiteralShellWord(String value, String quoted) {
        assertEquals(quoted, Shell.quote(value));
    }

    @Test
    void acceptsOnlyDockerNamesAndIdsAsContainer() {
        for (String ok : List.of("web", "3f4e5a6b7c8d", "a", "web-1.blue_2", "A".repeat(128))) {
            assertTrue(ContainerService.CONTAINER.matcher(ok).matches(), ok);
        }
        for (String bad : List.of("", "-rm", ".hidden", "_x", "a b", "a;b", "a'b", "a/b", "A".repeat(129), "é")) {
            assertTrue(!ContainerService.CONTAINER.matcher(bad).matches(), bad);
        }
    }
}

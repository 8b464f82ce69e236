package io.testum.stats;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.testum.testing.Auth;
import io.testum.testing.PostgresResource;
import io.testum.testing.SshFleet;
import io.testum.testing.TestDatabase;
import io.testum.testing.WithSshFleet;

/**
 * Containers and their logs on a real sshd host without a usable docker: the fixture's users are
 * in no docker group and, on CI, the machine runs no docker daemon or has no docker at all.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithSshFleet
class ContainerTest {

    private SshFleet fleet;

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        Auth.asAdmin();
        String key = post("/api/credentials/generate", Map.of("name", "deployer")).statusCode(201).extract().path("public_key");
        fleet.host(0).writeAuthorizedKeys(key + "\n");
        HostStatsTest.platform("web-01", fleet.host(0));
    }

    /** What the fixture host's login shell (PATH of OpenSSH's sshd: /usr/local/bin:/usr/bin:/bin) finds. */
    private Matcher<String> dockerUnusableOnWeb01() {
        boolean installed = Stream.of("/usr/local/bin", "/usr/bin", "/bin")
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "docker")));
        if (!installed) {
            return equalTo("docker is not installed on platform 'web-01': the login shell of '" + fleet.host(0).user()
                    + "' finds no docker command");
        }
        return anyOf(startsWith("docker's daemon is not reachable on platform 'web-01'; is it running? ("),
                startsWith("'" + fleet.host(0).user() + "' may not use docker on platform 'web-01'; add it to the docker group ("));
    }

    @Test
    void answers409WithTheReasonWhenDockerIsUnusableOnTheHost() {
        given().get("/api/platforms/web-01/containers").then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:testum:problem:conflict"))
                .body("detail", dockerUnusableOnWeb01());
    }

    @Test
    void answers409ForLogsToo() {
        given().get("/api/platforms/web-01/containers/web/logs?tail=5").then().statusCode(409)
                .body("detail", dockerUnusableOnWeb01());
    }

    @Test
    void refusesAContainerIdThatIsNotADockerName() {
        for (String id : new String[] {"-rm", "_x", "a%20b", "a$(id)", "x".repeat(129)}) {
            given().urlEncodingEnabled(false).get("/api/platforms/web-01/containers/" + id + "/logs").then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("id"));
        }
    }

    @Test
    void refusesATailOutsideZeroTo10000OrNotANumber() {
        for (String tail : new String[] {"-1", "10001", "abc", "1.5"}) {
            given().get("/api/platforms/web-01/containers/web/logs?tail=" + tail).then().statusCode(400)
                    .body("errors[0].field", equalTo("tail"));
        }
    }

    @Test
    void answers404ForAnUnknownPlatform() {
        given().get("/api/platforms/nowhere/containers").then().statusCode(404)
                .body("detail", equalTo("platform 'nowhere' does not exist"));
        given().get("/api/platforms/nowhere/containers/web/logs").then().statusCode(404);
    }

    /** Container logs often hold secrets printed at start (tokens, connection strings): not for viewers. */
    @Test
    void refusesContainerLogsToAViewerWithoutAskingTheHost() {
        long logins = logins();
        Auth.as(Auth.tokenOf("containers-viewer", "viewer"));
        try {
            given().get("/api/platforms/web-01/containers/web/logs?tail=5").then().statusCode(403)
                    .contentType("application/problem+json")
                    .body("detail", startsWith("This needs the operator role"));
        } finally {
            Auth.asAdmin();
        }
        org.junit.jupiter.api.Assertions.assertEquals(logins, logins(), "no SSH login for the refused call");
        Auth.as(Auth.tokenOf("containers-operator", "operator"));
        try {
            given().get("/api/platforms/web-01/containers/web/logs?tail=5").then().statusCode(409);
        } finally {
            Auth.asAdmin();
        }
    }

    private long logins() {
        return fleet.host(0).log().lines().filter(l -> l.contains("Accepted publickey")).count();
    }
}

package io.testum.deploy;

import static io.restassured.RestAssured.given;
import static io.testum.testing.Fixtures.post;
import static io.testum.testing.Fixtures.put;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.testum.testing.Auth;
import io.testum.testing.PostgresResource;
import io.testum.testing.SshFleet;
import io.testum.testing.TestDatabase;
import io.testum.testing.WithSshFleet;

/**
 * The attacks of an operator on credentials and host keys, on the real service with real sshd
 * hosts: pointing a platform with a password credential at a host the operator controls,
 * declaring or overriding host keys, re-pointing a pinned platform, resetting a pin by deleting
 * and creating a platform again, and using a credential on a platform its binding does not name.
 * Host 0 stands for the host the operator controls: it takes passwords, and the one the
 * credential holds would log in.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithSshFleet(hosts = 2, passwords = true)
class PlatformTrustTest {

    private static final String PASSWORD = "root-password-of-the-fleet";
    private SshFleet fleet;

    private String testumKey;
    private String operator;

    @BeforeEach
    void setUp() {
        TestDatabase.reset();
        Auth.asAdmin();
        operator = Auth.tokenOf("trust-operator", "operator");
        testumKey = post("/api/credentials/generate", Map.of("name", "deployer")).statusCode(201).extract().path("public_key");
        post("/api/credentials/import", Map.of("name", "root-pw", "password", PASSWORD)).statusCode(201);
        for (SshFleet.Host host : fleet.hosts()) {
            host.stop();
            host.newHostKey();
            host.clearLog();
            host.start();
            host.setPassword(PASSWORD);
            host.writeAuthorizedKeys(testumKey + "\n");
        }
    }

    private static Map<String, Object> platform(String name, SshFleet.Host host, String auth, String credential) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "host", host.address(), "port", host.port(),
                "username", host.user(), "auth_method", auth, "credential", credential));
        return body;
    }

    private static ValidatableResponse testSsh(String name) {
        return given().post("/api/platforms/" + name + "/test-ssh").then().statusCode(200);
    }

    private <T> T asOperator(java.util.function.Supplier<T> call) {
        Auth.as(operator);
        try {
            return call.get();
        } finally {
            Auth.asAdmin();
        }
    }

    private void asOperator(Runnable call) {
        asOperator(() -> {
            call.run();
            return null;
        });
    }

    /** Lines of the host's sshd log where a password was tried, accepted or not. */
    private static long passwordAttempts(SshFleet.Host host) {
        return host.log().lines().filter(l -> l.contains("password for")).count();
    }

    private static long keyLogins(SshFleet.Host host) {
        return host.log().lines().filter(l -> l.contains("Accepted publickey")).count();
    }

    @Test
    void sendsNoPasswordToAHostAnOperatorPointedAPlatformAt() {
        SshFleet.Host theirs = fleet.host(0);
        asOperator(() -> {
            post("/api/platforms", platform("mine", theirs, "password", "root-pw")).statusCode(201);
            for (int attempt = 0; attempt < 2; attempt++) {
                testSsh("mine").body("authenticated", equalTo(false)).body("reachable", equalTo(true))
                        .body("error", containsString("did not send the password"));
            }
        });
        assertEquals(0, passwordAttempts(theirs), "the password never reached the host: " + theirs.log());
    }

    @Test
    void sendsAPasswordOnceAnAdminDeclaredTheKeyOfAnAddressAnOperatorChose() {
        SshFleet.Host host = fleet.host(0);
        asOperator(() -> post("/api/platforms", platform("legacy", host, "password", "root-pw")).statusCode(201));
        testSsh("legacy").body("authenticated", equalTo(false)).body("error", containsString("no admin vouched for it"));
        Map<String, Object> declared = platform("legacy", host, "password", "root-pw");
        declared.put("host_key", host.hostKeyFingerprint());
        put("/api/platforms/legacy", declared).statusCode(200);
        testSsh("legacy").body("authenticated", equalTo(true));
    }

    @Test
    void sendsAPasswordAtFirstContactOfAnAddressAnAdminChose() {
        SshFleet.Host host = fleet.host(0);
        post("/api/platforms", platform("db-01", host, "password", "root-pw")).statusCode(201);
        testSsh("db-01").body("authenticated", equalTo(true)).body("host_key_fingerprint", equalTo(host.hostKeyFingerprint()));
    }

    @Test
    void refusesAnOperatorWhoDeclaresChangesOrRemovesAHostKey() {
        SshFleet.Host host = fleet.host(0);
        Map<String, Object> declared = platform("web-01", host, "key", "deployer");
        declared.put("host_key", fleet.host(1).hostKeyFingerprint());
        asOperator(() -> post("/api/platforms", declared).statusCode(403).contentType("application/problem+json")
                .body("detail", startsWith("only an admin may set, change or remove the host_key of platform 'web-01'")));

        declared.put("host_key", host.hostKeyFingerprint());
        post("/api/platforms", declared).statusCode(201);
        Map<String, Object> other = new HashMap<>(declared);
        other.put("host_key", fleet.host(1).hostKeyFingerprint());
        Map<String, Object> none = new HashMap<>(declared);
        none.remove("host_key");
        Map<String, Object> same = new HashMap<>(declared);
        same.put("description", "labelled by an operator");
        asOperator(() -> {
            put("/api/platforms/web-01", other).statusCode(403);
            put("/api/platforms/web-01", none).statusCode(403);
            put("/api/platforms/web-01", same).statusCode(200);
        });
        given().get("/api/platforms/web-01").then().body("host_key", equalTo(host.hostKeyFingerprint()));
    }

    @Test
    void refusesADeclaredKeyThatDisagreesWithThePin() {
        SshFleet.Host host = fleet.host(0);
        post("/api/platforms", platform("web-01", host, "password", "root-pw")).statusCode(201);
        testSsh("web-01").body("authenticated", equalTo(true));
        // A declaration (as a Git author writes it) of another key than the pinned one is refused, whoever answers.
        TestDatabase.rows("UPDATE platforms SET host_key = ? WHERE name = 'web-01' RETURNING name", fleet.host(1).hostKeyFingerprint());
        testSsh("web-01").body("authenticated", equalTo(false))
                .body("error", containsString("A declaration does not replace a pin"));
        // A man in the middle answers with another key, and a declaration (as a Git author writes it) names that key.
        host.stop();
        host.newHostKey();
        host.start();
        TestDatabase.rows("UPDATE platforms SET host_key = ? WHERE name = 'web-01' RETURNING name", host.hostKeyFingerprint());
        long before = passwordAttempts(host);
        testSsh("web-01").body("authenticated", equalTo(false))
                .body("error", containsString("is pinned for"));
        assertEquals(before, passwordAttempts(host), "no password went to the new key");
    }

    @Test
    void keepsThePinWhenAnOperatorDeletesAndCreatesAPlatformAgain() {
        SshFleet.Host host = fleet.host(0);
        Map<String, Object> body = platform("web-01", host, "key", "deployer");
        post("/api/platforms", body).statusCode(201);
        String pinned = host.hostKeyFingerprint();
        testSsh("web-01").body("authenticated", equalTo(true)).body("host_key_fingerprint", equalTo(pinned));
        host.stop();
        host.newHostKey();
        host.start();
        long logins = keyLogins(host);
        asOperator(() -> {
            given().delete("/api/platforms/web-01").then().statusCode(204);
            post("/api/platforms", body).statusCode(201);
            testSsh("web-01").body("authenticated", equalTo(false))
                    .body("error", containsString(pinned + " is pinned"));
        });
        assertEquals(logins, keyLogins(host), "testum did not log in to the host with the new key");
        given().delete("/api/platforms/web-01/host-key").then().statusCode(204);
        testSsh("web-01").body("authenticated", equalTo(true)).body("host_key_fingerprint", equalTo(host.hostKeyFingerprint()));
    }

    @Test
    void refusesAnOperatorWhoPointsAPinnedPlatformAtAnotherAddress() {
        SshFleet.Host real = fleet.host(1);
        SshFleet.Host theirs = fleet.host(0);
        post("/api/platforms", platform("db-01", real, "password", "root-pw")).statusCode(201);
        testSsh("db-01").body("authenticated", equalTo(true));
        long before = passwordAttempts(theirs);
        asOperator(() -> {
            put("/api/platforms/db-01", platform("db-01", theirs, "password", "root-pw")).statusCode(403)
                    .body("detail", containsString("only an admin may point it at another address"));
            Map<String, Object> labelled = platform("db-01", real, "password", "root-pw");
            labelled.put("labels", Map.of("env", "prod"));
            put("/api/platforms/db-01", labelled).statusCode(200);
            testSsh("db-01").body("authenticated", equalTo(true));
        });
        assertEquals(before, passwordAttempts(theirs));
        given().get("/api/platforms/db-01").then().body("port", equalTo(real.port()));
        put("/api/platforms/db-01", platform("db-01", theirs, "password", "root-pw")).statusCode(200);
    }

    @Test
    void offersABoundCredentialOnlyToThePlatformsItsBindingNames() {
        post("/api/credentials/import", Map.of("name", "prod-pw", "password", PASSWORD,
                "binding", Map.of("platforms", List.of("db-01"), "selector", Map.of("env", "prod")))).statusCode(201)
                .body("binding.platforms", equalTo(List.of("db-01"))).body("binding.selector.env", equalTo("prod"));
        SshFleet.Host host = fleet.host(0);
        asOperator(() -> {
            post("/api/platforms", platform("elsewhere", host, "password", "prod-pw")).statusCode(400)
                    .body("errors[0].field", equalTo("credential"))
                    .body("errors[0].message", containsString("is bound to platforms [db-01] or platforms labelled {env=prod}"));
            Map<String, Object> labelled = platform("labelled", host, "password", "prod-pw");
            labelled.put("labels", Map.of("env", "prod"));
            post("/api/platforms", labelled).statusCode(201);
        });
        post("/api/platforms", platform("db-01", host, "password", "prod-pw")).statusCode(201);
    }

    @Test
    void refusesABoundCredentialAtConnectionTimeOnAPlatformThatNoLongerMatches() {
        SshFleet.Host host = fleet.host(0);
        post("/api/platforms", platform("web-01", host, "key", "deployer")).statusCode(201);
        testSsh("web-01").body("authenticated", equalTo(true));
        given().contentType("application/json").body(Map.of("platforms", List.of("web-02"))).put("/api/credentials/deployer/binding")
                .then().statusCode(200).body("binding.platforms", equalTo(List.of("web-02")));
        long logins = keyLogins(host);
        testSsh("web-01").body("authenticated", equalTo(false))
                .body("error", containsString("credential 'deployer' is bound to platforms [web-02]; platform 'web-01' is not"));
        assertEquals(logins, keyLogins(host), "the key was not offered to the host");
        asOperator(() -> given().contentType("application/json").body(Map.of("platforms", List.of()))
                .put("/api/credentials/deployer/binding").then().statusCode(403));
        given().contentType("application/json").body(Map.of()).put("/api/credentials/deployer/binding").then().statusCode(200)
                .body("binding", org.hamcrest.Matchers.nullValue());
        testSsh("web-01").body("authenticated", equalTo(true));
    }
}

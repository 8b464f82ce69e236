package io.testum.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.testum.common.Violations;

class AuthorizedKeysOptionsTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "no-pty",
        "restrict,pty",
        "from=\"10.0.0.0/8,192.168.1.*,!bad.example.com\",no-agent-forwarding",
        "command=\"/usr/bin/rsync --server -vlogDtpre.iLsfxC . /srv/backup\"",
        "command=\"echo \\\"quoted\\\"\"",
        "environment=\"LANG=C.UTF-8\"",
        "expiry-time=\"20261231\"",
        "expiry-time=\"202612311800Z\"",
        "permitopen=\"localhost:8080\",permitlisten=\"*:9000\"",
        "principals=\"alice,bob\"",
        "tunnel=\"0\"",
        "NO-PTY,No-X11-Forwarding",
        "cert-authority,verify-required,no-touch-required"})
    void acceptsWhatSshdAccepts(String options) {
        Violations v = new Violations();
        List<AuthorizedKeysOptions.Option> parsed = AuthorizedKeysOptions.check(options, "options", v);
        assertTrue(v.isEmpty(), () -> v.errors().toString());
        assertTrue(!parsed.isEmpty());
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("no-pty,fly", "'fly' is not an authorized_keys option"),
                Arguments.of("no-pty=\"x\"", "is a flag and takes no value"),
                Arguments.of("from", "needs a value"),
                Arguments.of("command=ls", "must be in double quotes"),
                Arguments.of("command=\"ls", "no closing double quote"),
                Arguments.of("no-pty, no-agent-forwarding", "separated by commas, without spaces"),
                Arguments.of("no-pty,", "ends with a comma"),
                Arguments.of("no-pty,,pty", "empty option"),
                Arguments.of("from=\"10.0.0.0/8 evil\"", "comma-separated list of host"),
                Arguments.of("expiry-time=\"tomorrow\"", "YYYYMMDD"),
                Arguments.of("environment=\"=x\"", "NAME=value"),
                Arguments.of("permitopen=\"anywhere\"", "host:port"),
                Arguments.of("tunnel=\"tun0\"", "device number"),
                Arguments.of("command=\"\"", "must not be empty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesWhatSshdWouldNotReadAndSaysWhy(String options, String message) {
        Violations v = new Violations();
        AuthorizedKeysOptions.check(options, "options", v);
        assertEquals(1, v.errors().size(), () -> v.errors().toString());
        assertTrue(v.errors().get(0).message().contains(message), v.errors().get(0).message());
        assertEquals("options", v.errors().get(0).field());
    }

    @org.junit.jupiter.api.Test
    void refusesALineBreakThatWouldStartANewAuthorizedKeysLine() {
        Violations v = new Violations();
        AuthorizedKeysOptions.check("no-pty\nssh-ed25519 AAAA attacker", "options", v);
        assertTrue(v.errors().get(0).message().contains("line breaks"));
    }
}

package io.testum.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.testum.ssh.HostKeyRules.Decision;
import io.testum.ssh.HostKeyRules.Pin;
import io.testum.ssh.HostKeyRules.Refusal;

class HostKeyRulesTest {

    private static final String A = "SHA256:aaaa";
    private static final String B = "SHA256:bbbb";

    static Stream<Arguments> cases() {
        return Stream.of(
                // presented, declared, pin, address vouched -> decision
                Arguments.of("first contact at an address an operator typed: pinned, keys only", A, null, null, false,
                        new Decision.PinNow(false, false)),
                Arguments.of("first contact at an address an admin or Git chose: pinned and trusted", A, null, null, true,
                        new Decision.PinNow(true, false)),
                Arguments.of("first contact with the declared key: pinned as declared, trusted", A, A, null, false,
                        new Decision.PinNow(true, true)),
                Arguments.of("first contact with another key than declared: refused", B, A, null, true,
                        new Decision.Refuse(Refusal.DECLARED_MISMATCH)),
                Arguments.of("the pinned key again, trusted pin", A, null, new Pin(A, true), false,
                        new Decision.Admit(HostKeyGate.Verdict.TRUSTED, false)),
                Arguments.of("the pinned key again, untrusted pin, operator's address: keys only", A, null, new Pin(A, false), false,
                        new Decision.Admit(HostKeyGate.Verdict.PINNED, false)),
                Arguments.of("the pinned key again, untrusted pin, vouched address: the pin becomes trusted", A, null,
                        new Pin(A, false), true, new Decision.Admit(HostKeyGate.Verdict.TRUSTED, true)),
                Arguments.of("the pinned key, now declared: the pin becomes trusted", A, A, new Pin(A, false), false,
                        new Decision.Admit(HostKeyGate.Verdict.TRUSTED, true)),
                Arguments.of("another key than the pinned one: refused, even when vouched", B, null, new Pin(A, true), true,
                        new Decision.Refuse(Refusal.PIN_MISMATCH)),
                Arguments.of("another key than the pinned one, though it is the declared one: refused", B, B, new Pin(A, true),
                        true, new Decision.Refuse(Refusal.PIN_MISMATCH)),
                Arguments.of("the pinned key while another is declared: a declaration does not replace a pin", A, B,
                        new Pin(A, true), true, new Decision.Refuse(Refusal.DECLARED_DISAGREES_WITH_PIN)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void judgesThePresentedKeyAgainstPinAndDeclaration(String behaviour, String presented, String declared, Pin pin,
            boolean vouched, Decision expected) {
        assertEquals(expected, HostKeyRules.judge(presented, declared, pin, vouched));
    }

    @ParameterizedTest(name = "{0} policy, declared {1}")
    @MethodSource("policies")
    void strictRefusesAPlatformWithoutADeclaredKeyBeforeConnecting(SshConfig.HostKeyPolicy policy, String declared,
            Refusal expected) {
        assertEquals(expected, HostKeyRules.beforeConnect(policy, declared));
    }

    static Stream<Arguments> policies() {
        return Stream.of(
                Arguments.of(SshConfig.HostKeyPolicy.STRICT, null, Refusal.STRICT_WITHOUT_DECLARED_KEY),
                Arguments.of(SshConfig.HostKeyPolicy.STRICT, A, null),
                Arguments.of(SshConfig.HostKeyPolicy.TOFU, null, null),
                Arguments.of(SshConfig.HostKeyPolicy.TOFU, A, null));
    }
}

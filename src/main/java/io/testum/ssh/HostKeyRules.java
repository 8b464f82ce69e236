package io.testum.ssh;

/**
 * The host-key policy as a pure decision: a presented key judged against the pin of the address
 * and the key the platform declares, under {@code testum.ssh.host-key-policy}. The caller stores
 * what the decision says (a new pin, a pin now trusted) and words a refusal for its object.
 * <ul>
 * <li>strict: a platform that declares no key is refused before anything is sent;</li>
 * <li>a pin must match, and a declared key must agree with the pin (a declaration never overrides
 * a pin);</li>
 * <li>without a pin, a declared key must match and is pinned; else (TOFU) the key is pinned at
 * first contact;</li>
 * <li>a pin is trusted (a password may be sent to it) when a key is declared or the address was
 * chosen by an admin or a GitOps source ({@code addressVouched}).</li>
 * </ul>
 */
public final class HostKeyRules {

    private HostKeyRules() {
    }

    /** A pin as stored: the fingerprint, and whether a password may be sent to it. */
    public record Pin(String fingerprint, boolean trusted) {
    }

    /** Why a key is refused. */
    public enum Refusal {
        /** Policy strict, and the platform declares no key. */
        STRICT_WITHOUT_DECLARED_KEY,
        /** The presented key is not the pinned one. */
        PIN_MISMATCH,
        /** The presented key is the pinned one, but the platform declares another. */
        DECLARED_DISAGREES_WITH_PIN,
        /** No pin, and the presented key is not the declared one. */
        DECLARED_MISMATCH
    }

    /** What to do with a presented key. */
    public sealed interface Decision {

        /** Admit the key as {@code verdict}; with {@code trustPin}, mark the pin trusted first. */
        record Admit(HostKeyGate.Verdict verdict, boolean trustPin) implements Decision {
        }

        /** Pin the presented key ({@code trusted}; {@code declared}: it is the declared key, else first contact). */
        record PinNow(boolean trusted, boolean declared) implements Decision {
        }

        /** Refuse the key. */
        record Refuse(Refusal why) implements Decision {
        }
    }

    /** Before connecting: the refusal that {@code policy} makes of a platform declaring {@code declared}, or null. */
    public static Refusal beforeConnect(SshConfig.HostKeyPolicy policy, String declared) {
        return policy == SshConfig.HostKeyPolicy.STRICT && declared == null ? Refusal.STRICT_WITHOUT_DECLARED_KEY : null;
    }

    /**
     * @param presented      the key the host presented, {@code SHA256:...}
     * @param declared       the key the platform declares, or null
     * @param pin            the pin of the address, or null
     * @param addressVouched whether an admin or a GitOps source chose the address
     */
    public static Decision judge(String presented, String declared, Pin pin, boolean addressVouched) {
        boolean vouched = declared != null || addressVouched;
        if (pin != null) {
            if (!pin.fingerprint().equals(presented)) {
                return new Decision.Refuse(Refusal.PIN_MISMATCH);
            }
            if (declared != null && !declared.equals(pin.fingerprint())) {
                return new Decision.Refuse(Refusal.DECLARED_DISAGREES_WITH_PIN);
            }
            return new Decision.Admit(pin.trusted() || vouched ? HostKeyGate.Verdict.TRUSTED : HostKeyGate.Verdict.PINNED,
                    !pin.trusted() && vouched);
        }
        if (declared != null && !declared.equals(presented)) {
            return new Decision.Refuse(Refusal.DECLARED_MISMATCH);
        }
        return new Decision.PinNow(vouched, declared != null);
    }
}

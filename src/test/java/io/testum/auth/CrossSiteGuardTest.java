package io.testum.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rule for cookie-authenticated requests, on headers alone. */
class CrossSiteGuardTest {

    private static final String OWN = "https://testum.example.com";

    @ParameterizedTest(name = "{0} upgrade={1} Sec-Fetch-Site={2} Origin={3} custom={4}: {5}")
    @CsvSource(nullValues = "-", value = {
            "POST, false, same-origin, -, false, ALLOW",
            "POST, false, same-site, https://testum.example.com, false, REFUSE",
            "POST, false, cross-site, -, true, REFUSE",
            "POST, false, none, -, false, REFUSE",
            "GET, false, none, -, false, ALLOW",
            "GET, false, cross-site, -, false, REFUSE",
            "GET, true, none, -, false, REFUSE",
            "GET, true, same-origin, -, false, ALLOW",
            "POST, false, -, https://testum.example.com, false, ALLOW",
            "POST, false, -, https://testum.example.com:443, false, ALLOW",
            "POST, false, -, https://TESTUM.example.com, false, ALLOW",
            "POST, false, -, http://testum.example.com, false, REFUSE",
            "POST, false, -, https://testum.example.com:8443, false, REFUSE",
            "POST, false, -, https://testum.example.com.attacker.example, false, REFUSE",
            "POST, false, -, null, true, REFUSE",
            "POST, false, -, https://attacker.example, true, REFUSE",
            "GET, true, -, https://attacker.example, false, REFUSE",
            "GET, true, -, https://testum.example.com, false, ALLOW",
            "GET, true, -, -, false, REFUSE",
            "POST, false, -, -, true, ALLOW",
            "POST, false, -, -, false, REFUSE",
            "DELETE, false, -, -, false, REFUSE",
            "GET, false, -, -, false, ALLOW",
    })
    void decidesOnTheHeadersABrowserSends(String method, boolean upgrade, String fetchSite, String origin, boolean custom,
            CrossSiteGuard.Verdict expected) {
        assertThat(CrossSiteGuard.verdict(method, upgrade, fetchSite, origin, custom, OWN)).isEqualTo(expected);
    }
}

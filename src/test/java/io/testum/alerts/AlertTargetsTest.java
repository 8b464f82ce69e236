package io.testum.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Where alerts may be sent, what the API shows of a URL, the backoff and the signature: pure rules. */
class AlertTargetsTest {

    @ParameterizedTest
    @ValueSource(strings = { "http://127.0.0.1:8080/hook", "http://localhost/hook", "http://api.localhost/x",
            "http://169.254.169.254/latest/meta-data/", "http://[::1]/x", "http://[fe80::1]/x", "http://0.0.0.0/x",
            "http://[::ffff:127.0.0.1]/x", "http://[::ffff:169.254.169.254]/x", "http://224.0.0.1/x",
            "http://2130706433/x" })
    void refusesLoopbackLinkLocalAndMetadataAddressesByDefault(String url) {
        assertThat(AlertTargets.problem(url, false)).contains("testum.alerts.allow-private-targets");
        assertThat(AlertTargets.problem(url, true)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://hooks.slack.com/services/T0/B0/XYZ", "http://10.1.2.3:8065/hooks/abc",
            "https://192.168.1.5/x", "https://hooks.example.org" })
    void allowsPublicAndOrganisationNetworkTargets(String url) {
        assertThat(AlertTargets.problem(url, false)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "ftp://hooks.example.org/x", "file:///etc/passwd", "gopher://x/", "hooks.example.org/x",
            "http:///nohost", "https://hooks.example.org/x#frag", "not a url",
            "http://127.1/x" })
    void refusesWhatIsNotAnHttpUrlWithAHost(String url) {
        assertThat(AlertTargets.problem(url, true)).isNotNull();
    }

    @Test
    void showsOnlySchemeHostAndPortOfAUrl() {
        assertThat(AlertTargets.shown("https://hooks.slack.com/services/T0/B0/SECRET")).isEqualTo("https://hooks.slack.com/…");
        assertThat(AlertTargets.shown("http://10.0.0.1:8065/?token=SECRET")).isEqualTo("http://10.0.0.1:8065/…");
        assertThat(AlertTargets.shown("https://hooks.example.org")).isEqualTo("https://hooks.example.org/");
    }

    @Test
    void waitsTwiceAsLongAfterEachFailedTryUpToTheCap() {
        Duration base = Duration.ofSeconds(10);
        Duration cap = Duration.ofMinutes(15);
        assertThat(AlertSender.backoff(1, base, cap)).isEqualTo(Duration.ofSeconds(10));
        assertThat(AlertSender.backoff(2, base, cap)).isEqualTo(Duration.ofSeconds(20));
        assertThat(AlertSender.backoff(4, base, cap)).isEqualTo(Duration.ofSeconds(80));
        assertThat(AlertSender.backoff(10, base, cap)).isEqualTo(cap);
        assertThat(AlertSender.backoff(64, base, cap)).isEqualTo(cap);
    }

    @Test
    void signsTheExactBodyWithHmacSha256() {
        // RFC 4231 test case 2.
        assertThat(AlertSender.sign("Jefe", "what do ya want for nothing?"))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void errorTextsLoseTheUrlsPathAndQuery() {
        URI uri = URI.create("https://hooks.example.org/p/TOKEN?k=QTOKEN");
        assertThat(AlertSender.scrub("Connection reset: https://hooks.example.org/p/TOKEN?k=QTOKEN and /p/TOKEN", uri))
                .doesNotContain("TOKEN").contains("hooks.example.org");
    }

    @Test
    void slackTextIsEscapedAsSlackAsks() {
        assertThat(AlertSender.slackText(new io.vertx.core.json.JsonObject().put("event", "run.failed").put("message", "a<b & c>d")))
                .isEqualTo("testum: run.failed: a&lt;b &amp; c&gt;d");
    }
}

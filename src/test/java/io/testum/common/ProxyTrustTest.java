package io.testum.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class ProxyTrustTest {

    @Test
    void refusesForwardingWithoutTrustedProxies() {
        assertThat(ProxyTrust.problem(true, Optional.empty())).get().asString()
                .contains("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES");
        assertThat(ProxyTrust.problem(true, Optional.of(" "))).isPresent();
    }

    @Test
    void acceptsForwardingFromNamedProxiesAndNoForwarding() {
        assertThat(ProxyTrust.problem(true, Optional.of("10.42.0.0/16"))).isEmpty();
        assertThat(ProxyTrust.problem(false, Optional.empty())).isEmpty();
    }
}

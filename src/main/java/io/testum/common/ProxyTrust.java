package io.testum.common;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start with proxy address forwarding on and no trusted proxies: Quarkus would then
 * take {@code X-Forwarded-For} and {@code Forwarded} from every client, so anyone could choose the
 * address that the audit log records and that login throttling counts.
 */
@ApplicationScoped
public class ProxyTrust {

    private final boolean forwarding;
    private final Optional<String> trustedProxies;

    public ProxyTrust(@ConfigProperty(name = "quarkus.http.proxy.proxy-address-forwarding", defaultValue = "false")
            boolean forwarding, @ConfigProperty(name = "quarkus.http.proxy.trusted-proxies") Optional<String> trustedProxies) {
        this.forwarding = forwarding;
        this.trustedProxies = trustedProxies;
    }

    void check(@Observes StartupEvent event) {
        problem(forwarding, trustedProxies).ifPresent(message -> {
            throw new IllegalStateException(message);
        });
    }

    static Optional<String> problem(boolean forwarding, Optional<String> trustedProxies) {
        if (forwarding && trustedProxies.map(String::isBlank).orElse(true)) {
            return Optional.of("quarkus.http.proxy.proxy-address-forwarding is true but quarkus.http.proxy.trusted-proxies "
                    + "is not set, so every client could choose its own address with X-Forwarded-For. Set "
                    + "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES to the address or CIDR of your reverse proxy (e.g. 10.42.0.0/16), "
                    + "or turn forwarding off");
        }
        return Optional.empty();
    }
}

package io.testum.delivery;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.marcnuri.helm.Helm;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.testum.testing.Auth;
import io.testum.testing.PostgresResource;
import io.testum.testing.TestDatabase;

/**
 * The service started with the proxy settings that the Kustomize base and the chart's default
 * values ship (their ConfigMaps' {@code QUARKUS_HTTP_PROXY_*} entries), and a client that forges
 * {@code X-Forwarded-For} and {@code Forwarded}: the audit log and the login throttle must see the
 * client's real address, not the one it chose.
 */
@QuarkusTest
@TestProfile(ShippedProxySettingsTest.ShippedSettings.class)
@WithTestResource(PostgresResource.class)
class ShippedProxySettingsTest {

    /**
     * The proxy entries of a shipped ConfigMap, as configuration properties: of the one that turns
     * forwarding on without trusted proxies if there is one (the hole), else of one that turns it
     * on, else none (forwarding off).
     */
    public static class ShippedSettings implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            List<Map<String, String>> shipped = List.of(proxyEntries(kustomizeConfigMap()), proxyEntries(chartConfigMap()));
            Map<String, String> chosen = shipped.stream().filter(e -> forwarding(e) && !e.containsKey(TRUSTED)).findFirst()
                    .or(() -> shipped.stream().filter(ShippedProxySettingsTest::forwarding).findFirst())
                    .orElse(Map.of());
            Map<String, String> properties = new LinkedHashMap<>(chosen);
            properties.putIfAbsent(FORWARDING, "false");
            return properties;
        }
    }

    private static final String FORWARDING = "quarkus.http.proxy.proxy-address-forwarding";
    private static final String TRUSTED = "quarkus.http.proxy.trusted-proxies";

    static boolean forwarding(Map<String, String> entries) {
        return "true".equals(entries.get(FORWARDING));
    }

    static Map<String, Object> kustomizeConfigMap() {
        try {
            return Manifests.kind(Manifests.parse(Files.readString(Path.of("k8s", "base", "configmap.yaml"))), "ConfigMap");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> chartConfigMap() {
        return Manifests.kind(Manifests.parse(new Helm(Path.of("helm", "testum")).template().withName("testum").call()),
                "ConfigMap");
    }

    /** {@code QUARKUS_HTTP_PROXY_TRUSTED_PROXIES: x} as {@code quarkus.http.proxy.trusted-proxies=x}. */
    static Map<String, String> proxyEntries(Map<String, Object> configMap) {
        Map<String, String> entries = new LinkedHashMap<>();
        if (configMap.get("data") instanceof Map<?, ?> data) {
            data.forEach((key, value) -> {
                String name = String.valueOf(key);
                if (name.startsWith("QUARKUS_HTTP_PROXY_")) {
                    entries.put("quarkus.http.proxy." + name.substring("QUARKUS_HTTP_PROXY_".length())
                            .toLowerCase(Locale.ROOT).replace('_', '-'), String.valueOf(value));
                }
            });
        }
        return entries;
    }

    @BeforeEach
    void reset() {
        TestDatabase.reset();
        Auth.anonymous();
    }

    @Test
    void aClientCannotChooseItsAddressUnderTheShippedManifests() {
        given().header("X-Forwarded-For", "198.51.100.77").header("Forwarded", "for=198.51.100.78")
                .contentType(ContentType.JSON).body(Map.of("username", "spoofer", "password", "wrong-password"))
                .post("/api/auth/login").then().statusCode(401);
        assertThat(TestDatabase.rows("SELECT client_address FROM audit_log WHERE actor = 'spoofer'"))
                .containsExactly(List.of("127.0.0.1"));
        assertThat(TestDatabase.rows("SELECT key FROM login_throttle WHERE key LIKE 'address:%'"))
                .containsExactly(List.of("address:127.0.0.1"));
        TestDatabase.reset();
    }
}

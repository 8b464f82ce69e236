package io.testum.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.testum.common.Violations;

class PlatformRulesTest {

    @ParameterizedTest
    @CsvSource({
        "192.0.2.10, true", "10.0.0.1, true", "0.0.0.0, true", "256.0.0.1, false", "1.2.3, false",
        "web-01.example.com, true", "web-01.example.com., true", "localhost, true", "a_b.example.com, false",
        "-web.example.com, false", "web..example.com, false",
        "::1, true", "2001:db8::1, true", "fe80::1%eth0, true", "::ffff:192.0.2.1, true",
        "1:2:3:4:5:6:7:8, true", "1:2:3:4:5:6:7:8:9, false", "2001:db8::1::2, false", "12345::1, false", "[::1], false"})
    void acceptsHostNamesAndIpAddressesOnly(String host, boolean valid) {
        Violations v = new Violations();
        PlatformRules.checkHost(host, "host", v);
        assertEquals(valid, v.isEmpty(), () -> host + ": " + v.errors());
    }
}

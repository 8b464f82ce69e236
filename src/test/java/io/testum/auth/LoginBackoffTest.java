package io.testum.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The wait between login attempts of a throttled user name or address. */
class LoginBackoffTest {

    private record Config(int maxFailures, Duration failureWindow, Duration backoff, Duration maxBackoff)
            implements AuthConfig {
        @Override
        public Duration accessTokenLifetime() {
            return Duration.ofMinutes(15);
        }

        @Override
        public Duration refreshTokenLifetime() {
            return Duration.ofDays(7);
        }

        @Override
        public Duration sessionLifetime() {
            return Duration.ofHours(12);
        }

        @Override
        public Duration streamRecheck() {
            return Duration.ofSeconds(30);
        }

        @Override
        public Optional<String> signingKey() {
            return Optional.empty();
        }
    }

    private static final LoginThrottle THROTTLE = new LoginThrottle(null,
            new Config(10, Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofMinutes(5)));

    @Test
    void startsAfterTheFreeFailuresAndDoublesUpToTheLongestWait() {
        assertThat(THROTTLE.waitSeconds(9, 0)).isZero();
        assertThat(THROTTLE.delay(10)).isEqualTo(Duration.ofSeconds(1));
        assertThat(THROTTLE.delay(11)).isEqualTo(Duration.ofSeconds(2));
        assertThat(THROTTLE.delay(14)).isEqualTo(Duration.ofSeconds(16));
        assertThat(THROTTLE.delay(19)).isEqualTo(Duration.ofMinutes(5));
        assertThat(THROTTLE.delay(1_000_000)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void countsTheWaitFromTheLastFailureAndForgetsAfterTheWindow() {
        assertThat(THROTTLE.waitSeconds(12, 1.5)).isEqualTo(3);
        assertThat(THROTTLE.waitSeconds(12, 4)).isZero();
        assertThat(THROTTLE.waitSeconds(40, 299.2)).isEqualTo(1);
        assertThat(THROTTLE.waitSeconds(40, 15 * 60)).isZero();
    }
}

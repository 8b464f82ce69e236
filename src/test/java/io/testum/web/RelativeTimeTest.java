package io.testum.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RelativeTimeTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    @ParameterizedTest(name = "{0} s before now: {1} / {2}")
    @CsvSource(delimiter = '|', value = {
        "0        | just now      | только что",
        "44       | just now      | только что",
        "50       | 1 min ago     | 1 мин назад",
        "180      | 3 min ago     | 3 мин назад",
        "3540     | 59 min ago    | 59 мин назад",
        "3600     | 1 hour ago    | 1 час назад",
        "7200     | 2 hours ago   | 2 часа назад",
        "18000    | 5 hours ago   | 5 часов назад",
        "75600    | 21 hours ago  | 21 час назад",
        "86400    | 1 day ago     | 1 день назад",
        "950400   | 11 days ago   | 11 дней назад",
        "1900800  | 22 days ago   | 22 дня назад",
        "7776000  | 3 months ago  | 3 месяца назад",
        "63072000 | 2 years ago   | 2 года назад",
        "-180     | in 3 min      | через 3 мин",
        "-7200    | in 2 hours    | через 2 часа",
    })
    void saysHowLongAgoInEnglishAndRussianWithRussiansPluralForms(long secondsAgo, String english, String russian) {
        Instant at = NOW.minus(Duration.ofSeconds(secondsAgo));
        assertThat(RelativeTime.of(at, NOW, "en")).isEqualTo(english);
        assertThat(RelativeTime.of(at, NOW, "ru")).isEqualTo(russian);
    }

    @ParameterizedTest
    @CsvSource({"1,0", "21,0", "101,0", "2,1", "4,1", "23,1", "5,2", "11,2", "12,2", "14,2", "111,2", "20,2", "25,2"})
    void picksTheRussianPluralFormByTheLastDigits(long n, int form) {
        assertThat(RelativeTime.russianForm(n)).isEqualTo(form);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"2026-12-02T11:57:00Z|3 min ago", "2026-12-02T11:57:00+00:00|3 min ago", "not a time|not a time"})
    void readsTheTimesApiMapsCarryAsText(String text, String shown) {
        Instant at = Format.instant(text);
        assertThat(at == null ? text : RelativeTime.of(at, NOW, "en")).isEqualTo(shown);
    }
}

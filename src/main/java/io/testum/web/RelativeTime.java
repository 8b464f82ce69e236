package io.testum.web;

import java.time.Duration;
import java.time.Instant;

/**
 * A time as people say it, relative to now: {@code 3 min ago}, {@code in 2 hours}, {@code 3 мин
 * назад}, {@code через 2 часа}. English and Russian (with Russian's three plural forms); any other
 * language reads English. Pure: the caller passes now.
 */
final class RelativeTime {

    /** Closer than this reads "just now". */
    static final Duration NOW = Duration.ofSeconds(45);

    private RelativeTime() {
    }

    private enum Unit {
        MINUTE(60, "min", "min", new String[] {"мин", "мин", "мин"}),
        HOUR(3600, "hour", "hours", new String[] {"час", "часа", "часов"}),
        DAY(86_400, "day", "days", new String[] {"день", "дня", "дней"}),
        MONTH(30 * 86_400L, "month", "months", new String[] {"месяц", "месяца", "месяцев"}),
        YEAR(365 * 86_400L, "year", "years", new String[] {"год", "года", "лет"});

        final long seconds;
        final String one;
        final String many;
        final String[] russian;

        Unit(long seconds, String one, String many, String[] russian) {
            this.seconds = seconds;
            this.one = one;
            this.many = many;
            this.russian = russian;
        }
    }

    static String of(Instant at, Instant now, String language) {
        boolean russian = "ru".equals(language);
        long seconds = Duration.between(at, now).getSeconds();
        boolean future = seconds < 0;
        long distance = Math.abs(seconds);
        if (distance < NOW.getSeconds()) {
            return russian ? "только что" : "just now";
        }
        // The largest whole unit, counted down (59 min stays minutes, 21 hours stay hours); under a minute reads 1 min.
        Unit unit = Unit.MINUTE;
        for (Unit u : Unit.values()) {
            if (distance >= u.seconds) {
                unit = u;
            }
        }
        long n = Math.max(1, distance / unit.seconds);
        String word = russian ? unit.russian[russianForm(n)] : n == 1 ? unit.one : unit.many;
        if (russian) {
            return future ? "через " + n + " " + word : n + " " + word + " назад";
        }
        return future ? "in " + n + " " + word : n + " " + word + " ago";
    }

    /** 0: 1, 21, 31 (час); 1: 2-4, 22-24 (часа); 2: 5-20, 25-30, 11-14 (часов). */
    static int russianForm(long n) {
        long tens = n % 100;
        long units = n % 10;
        if (tens >= 11 && tens <= 14) {
            return 2;
        }
        if (units == 1) {
            return 0;
        }
        return units >= 2 && units <= 4 ? 1 : 2;
    }
}

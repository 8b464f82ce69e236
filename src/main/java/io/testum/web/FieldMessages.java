package io.testum.web;

import java.util.List;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The services' field errors in the page's language: the common ones (a required field, a number
 * out of range, a choice of words, a duration, a URL, a time zone, a form's key=value lines) are
 * recognised by their English text and said again in the page's language; any other stays in
 * English, as the API writes it. The field name or file:line:column in front is never translated.
 */
final class FieldMessages {

    private record Rule(Pattern english, BiFunction<OpsMsg, Matcher, String> translated) {
    }

    private static final List<Rule> RULES = List.of(
            rule("is required", (m, x) -> m.err_required()),
            rule("is required: (.*)", (m, x) -> m.err_required() + ": " + x.group(1)),
            rule("must be between (\\d+) and (\\d+)(.*)", (m, x) -> m.err_between(x.group(1), x.group(2)) + x.group(3)),
            rule("must be at most (\\d+) characters", (m, x) -> m.err_at_most_characters(x.group(1))),
            rule("must be a duration of at least 10s, such as 30s, 5m or 1h", (m, x) -> m.err_interval()),
            rule("must be a file://, git://, http\\(s\\):// or ssh:// Git URL", (m, x) -> m.err_git_url()),
            rule("must be a file://, git:// or http\\(s\\):// URL", (m, x) -> m.err_import_url()),
            rule("must be ([\\w-]+(?:, [\\w-]+)*),? or ([\\w-]+)", (m, x) -> m.err_one_of(x.group(1) + ", " + x.group(2))),
            rule("'(.*)' is not a time zone; use a region such as Europe/Berlin, or UTC", (m, x) -> m.err_time_zone(x.group(1))),
            rule("'(.*)' must be key=value", (m, x) -> m.err_key_value(x.group(1))),
            rule("line (\\d+) must be NAME=value", (m, x) -> m.err_assignment_line(x.group(1))),
            rule("name platforms, a selector, or both", (m, x) -> m.err_targets()),
            rule("must be an http or https URL", (m, x) -> m.err_http_url()),
            rule("'(.*)' is not an event; use one of (.*)", (m, x) -> m.err_not_an_event(x.group(1), x.group(2))),
            rule("must be (\\d+) to (\\d+) characters; the receiver checks X-Testum-Signature with it",
                    (m, x) -> m.err_secret_length(x.group(1), x.group(2))));

    private FieldMessages() {
    }

    private static Rule rule(String english, BiFunction<OpsMsg, Matcher, String> translated) {
        return new Rule(Pattern.compile(english), translated);
    }

    /** {@code message} in the language of {@code texts}; English texts come back as they are. */
    static String translate(String message, OpsMsg texts, String language) {
        if (message == null || "en".equals(language)) {
            return message;
        }
        for (Rule rule : RULES) {
            Matcher matcher = rule.english().matcher(message);
            if (matcher.matches()) {
                return rule.translated().apply(texts, matcher);
            }
        }
        return message;
    }
}

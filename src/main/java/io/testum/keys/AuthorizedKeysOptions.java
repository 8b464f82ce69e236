package io.testum.keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import io.testum.common.Violations;

/**
 * The options field of a grant, checked the way sshd reads the start of an authorized_keys line:
 * a comma-separated list of {@code name} or {@code name="value"}, no whitespace outside quotes,
 * names case-insensitive. Anything sshd would not accept, or that could end the line early, is
 * refused, because one bad line in authorized_keys can lock a user out.
 */
public final class AuthorizedKeysOptions {

    public static final int MAX_LENGTH = 4096;
    private static final Set<String> FLAGS = Set.of("agent-forwarding", "no-agent-forwarding", "port-forwarding",
            "no-port-forwarding", "pty", "no-pty", "user-rc", "no-user-rc", "x11-forwarding", "no-x11-forwarding",
            "restrict", "cert-authority", "no-touch-required", "verify-required");
    private static final Set<String> VALUED = Set.of("command", "environment", "expiry-time", "from", "permitlisten",
            "permitopen", "principals", "tunnel");
    private static final Pattern FROM = Pattern.compile("!?[A-Za-z0-9.:*?_%/-]+(,!?[A-Za-z0-9.:*?_%/-]+)*");
    private static final Pattern EXPIRY = Pattern.compile("\\d{8}(\\d{4}(\\d{2})?)?Z?");
    private static final Pattern ENVIRONMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*");
    private static final Pattern HOST_PORT = Pattern.compile("(\\*|\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.*_-]+)?:(\\*|\\d{1,5})|\\d{1,5}");
    private static final Pattern PRINCIPALS = Pattern.compile("[^,\\s]+(,[^,\\s]+)*");
    private static final Pattern TUNNEL = Pattern.compile("\\d{1,5}");

    private AuthorizedKeysOptions() {
    }

    /** One option: its name in lowercase, and its unquoted value, or null for a flag. */
    public record Option(String name, String value) {
    }

    /**
     * Checks {@code options}, recording each problem against {@code field}.
     *
     * @return the parsed options, or an empty list when there were none or they were invalid
     */
    public static List<Option> check(String options, String field, Violations v) {
        if (options == null || options.isBlank()) {
            return List.of();
        }
        if (!v.check(options.length() <= MAX_LENGTH, field, "must be at most " + MAX_LENGTH + " characters")) {
            return List.of();
        }
        if (!v.check(options.chars().noneMatch(c -> c < 0x20 || c == 0x7f), field,
                "must not contain line breaks or other control characters")) {
            return List.of();
        }
        List<Option> parsed = new ArrayList<>();
        String text = options.strip();
        int i = 0;
        while (i < text.length()) {
            if (Character.isWhitespace(text.charAt(i))) {
                v.add(field, "options are separated by commas, without spaces");
                return List.of();
            }
            int start = i;
            while (i < text.length() && text.charAt(i) != '=' && text.charAt(i) != ',' && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            String name = text.substring(start, i).toLowerCase(Locale.ROOT);
            String value = null;
            if (i < text.length() && text.charAt(i) == '=') {
                i++;
                if (i >= text.length() || text.charAt(i) != '"') {
                    v.add(field, "the value of '" + name + "' must be in double quotes, as in " + name + "=\"...\"");
                    return List.of();
                }
                StringBuilder unquoted = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < text.length()) {
                    char c = text.charAt(i);
                    if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        unquoted.append('"');
                        i += 2;
                    } else if (c == '"') {
                        closed = true;
                        i++;
                        break;
                    } else {
                        unquoted.append(c);
                        i++;
                    }
                }
                if (!closed) {
                    v.add(field, "the value of '" + name + "' has no closing double quote");
                    return List.of();
                }
                value = unquoted.toString();
            }
            if (!checkOption(name, value, field, v)) {
                return List.of();
            }
            parsed.add(new Option(name, value));
            if (i < text.length()) {
                if (text.charAt(i) != ',') {
                    v.add(field, "options are separated by commas, without spaces (after '" + name + "')");
                    return List.of();
                }
                i++;
                if (i >= text.length()) {
                    v.add(field, "ends with a comma");
                    return List.of();
                }
            }
        }
        return parsed;
    }

    private static boolean checkOption(String name, String value, String field, Violations v) {
        if (name.isEmpty()) {
            return v.check(false, field, "has an empty option (two commas in a row?)");
        }
        if (FLAGS.contains(name)) {
            return v.check(value == null, field, "'" + name + "' is a flag and takes no value");
        }
        if (!VALUED.contains(name)) {
            return v.check(false, field, "'" + name + "' is not an authorized_keys option sshd knows");
        }
        if (!v.check(value != null, field, "'" + name + "' needs a value: " + name + "=\"...\"")) {
            return false;
        }
        return switch (name) {
            case "from" -> v.check(FROM.matcher(value).matches(), field,
                    "from=\"" + value + "\" must be a comma-separated list of host or address patterns, e.g. 10.0.0.0/8,*.example.com");
            case "expiry-time" -> v.check(EXPIRY.matcher(value).matches(), field,
                    "expiry-time must be YYYYMMDD[HHMM[SS]][Z]");
            case "environment" -> v.check(ENVIRONMENT.matcher(value).matches(), field,
                    "environment must be NAME=value");
            case "permitopen", "permitlisten" -> v.check(HOST_PORT.matcher(value).matches(), field,
                    name + " must be host:port (either may be *)");
            case "principals" -> v.check(PRINCIPALS.matcher(value).matches(), field,
                    "principals must be a comma-separated list of names");
            case "tunnel" -> v.check(TUNNEL.matcher(value).matches(), field, "tunnel must be a device number");
            default -> v.check(!value.isEmpty(), field, name + " must not be empty");
        };
    }
}

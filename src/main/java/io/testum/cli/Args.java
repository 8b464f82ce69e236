package io.testum.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command's arguments: options ({@code --name value}, {@code --name=value}, {@code -u value}),
 * flags ({@code --json}) and positional arguments, in any order. A command takes what it knows,
 * then {@link #positionals} refuses anything left that looks like an option.
 */
final class Args {

    private final List<String> words;

    Args(List<String> words) {
        this.words = new ArrayList<>(words);
    }

    /** Whether any of {@code names} is given; removes it. */
    boolean flag(String... names) {
        boolean found = false;
        for (int i = 0; i < words.size(); i++) {
            if (isEnd(i)) {
                break;
            }
            if (matches(words.get(i), names)) {
                words.remove(i--);
                found = true;
            }
        }
        return found;
    }

    /** The value of the last of {@code names} given, or null; removes them. */
    String option(String... names) {
        List<String> values = options(names);
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }

    /** Every value of a repeatable option, in order; removes them. */
    List<String> options(String... names) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            if (isEnd(i)) {
                break;
            }
            String word = words.get(i);
            for (String name : names) {
                if (word.startsWith(name + "=") && name.startsWith("--")) {
                    values.add(word.substring(name.length() + 1));
                    words.remove(i--);
                    break;
                }
                if (word.equals(name)) {
                    if (i + 1 >= words.size()) {
                        throw new UsageException(name + " needs a value");
                    }
                    values.add(words.get(i + 1));
                    words.remove(i + 1);
                    words.remove(i--);
                    break;
                }
            }
        }
        return values;
    }

    /** {@code k=v} options as a map; a value without {@code =} is refused. */
    Map<String, String> pairs(String... names) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : options(names)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new UsageException(names[0] + " takes key=value, got '" + pair + "'");
            }
            map.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return map;
    }

    /** What is left: positional arguments. An unknown option is a usage error. */
    List<String> positionals() {
        List<String> rest = new ArrayList<>();
        boolean ended = false;
        for (String word : words) {
            if (!ended && word.equals("--")) {
                ended = true;
            } else if (!ended && word.startsWith("-") && !word.equals("-")) {
                throw new UsageException("unknown option " + word);
            } else {
                rest.add(word);
            }
        }
        return rest;
    }

    /** The positional arguments, which must be exactly {@code names}. */
    List<String> exactly(String... names) {
        List<String> rest = positionals();
        if (rest.size() != names.length) {
            throw new UsageException(names.length == 0 ? "unexpected argument " + rest.get(0)
                    : "expected " + String.join(" ", names) + (rest.size() > names.length
                            ? ", got also " + String.join(" ", rest.subList(names.length, rest.size())) : ""));
        }
        return rest;
    }

    private boolean isEnd(int i) {
        return words.get(i).equals("--");
    }

    private static boolean matches(String word, String[] names) {
        for (String name : names) {
            if (word.equals(name)) {
                return true;
            }
        }
        return false;
    }
}

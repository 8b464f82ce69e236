package io.testum.gitops;

import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import io.testum.common.FieldError;
import io.testum.common.Violations;
import io.testum.gitops.DesiredDocument.Location;
import io.testum.gitops.DesiredDocument.Where;

/**
 * The fields of one mapping of a document (an entry, the settings, a file's top level), read with
 * their YAML types checked and their places remembered.
 * <p>
 * Every problem is recorded at a file position, prefixed with the mapping's context, e.g.
 * {@code platforms[3] (web-01): port: must be between 1 and 65535}. A field whose YAML type was wrong
 * is not reported again by the field rules ({@link #report(Violations)}), so that one mistake gives
 * one message.
 */
final class Fields {

    private static final int MAX_QUOTED = 60;

    private final String file;
    private final String context;
    private final Location entry;
    private final Problems problems;
    private final Map<String, NodeTuple> tuples;
    private final Map<String, Location> locations = new LinkedHashMap<>();
    private final Set<String> failed = new HashSet<>();

    /**
     * @param context how messages name this mapping ({@code settings}), or empty for a file's top level
     */
    Fields(String file, String context, MappingNode node, Problems problems) {
        this.file = file;
        this.context = context;
        this.entry = Problems.at(file, node);
        this.problems = problems;
        this.tuples = tuples(node, null);
    }

    /**
     * The fields of entry {@code index} (from 0) of {@code section}; messages name the entry by its
     * position and, when it has one, its name: {@code platforms[3] (web-01)}.
     */
    static Fields entry(String file, String section, int index, MappingNode node, Problems problems) {
        String context = section + "[" + index + "]";
        for (NodeTuple tuple : node.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals("name")
                    && tuple.getValueNode() instanceof ScalarNode name && !isNull(name)) {
                context += " (" + quote(name.getValue()) + ")";
                break;
            }
        }
        return new Fields(file, context, node, problems);
    }

    /** What a node is, for messages: {@code a list}, {@code the text 'abc'}, {@code the number 5}, ... */
    static String describe(Node node) {
        return switch (node) {
            case MappingNode mapping -> "a mapping";
            case SequenceNode sequence -> "a list";
            case ScalarNode scalar when isNull(scalar) -> "nothing";
            case ScalarNode scalar when Tag.INT.equals(scalar.getTag()) || Tag.FLOAT.equals(scalar.getTag()) ->
                "the number " + quote(scalar.getValue());
            case ScalarNode scalar when Tag.BOOL.equals(scalar.getTag()) -> "the boolean " + scalar.getValue();
            case ScalarNode scalar -> "the text '" + quote(scalar.getValue()) + "'";
            default -> "a " + node.getNodeType().toString().toLowerCase();
        };
    }

    /** Where the mapping starts. */
    Location entry() {
        return entry;
    }

    /** Where the mapping and each field read so far were written. */
    Where where() {
        return new Where(entry, Collections.unmodifiableMap(new LinkedHashMap<>(locations)));
    }

    boolean has(String field) {
        return tuples.containsKey(field);
    }

    /** Where {@code field}'s key was written (for problems with the field itself rather than its value). */
    Location keyAt(String field) {
        NodeTuple tuple = tuples.get(field);
        return tuple == null ? entry : at(tuple.getKeyNode());
    }

    /** The fields present that are not in {@code known}, in document order. */
    List<String> unknown(Collection<String> known) {
        return tuples.keySet().stream().filter(field -> !known.contains(field)).toList();
    }

    /** Records an unknown-field problem at the key of each field not in {@code known}. */
    void rejectUnknown(List<String> known) {
        rejectUnknown(known, Map.of());
    }

    /**
     * Records an unknown-field problem at the key of each field not in {@code known}; a field of
     * {@code refused} is not unknown but not accepted here, and gets its own message.
     */
    void rejectUnknown(List<String> known, Map<String, String> refused) {
        for (String field : unknown(known)) {
            String why = refused.get(field);
            error(keyAt(field), why != null ? field + ": " + why
                    : "unknown field '" + quote(field) + "'; expected one of: " + String.join(", ", known));
        }
    }

    /** Records {@code message}, prefixed with this mapping's context, at {@code location}. */
    void error(Location location, String message) {
        problems.add(location, context.isEmpty() ? message : context + ": " + message);
    }

    /**
     * Records that the value of {@code field} is invalid: at the value, as {@code field: message}. The
     * field rules will not report the field again.
     */
    void invalid(String field, String message) {
        failed.add(field);
        error(locations.getOrDefault(field, entry), field + ": " + message);
    }

    /** A text field: any scalar, numbers and booleans as written; null when absent or null. */
    String text(String field) {
        return text(field, field);
    }

    /** A text field written under {@code field} and known as {@code as} (an older name of a field). */
    String text(String field, String as) {
        Node value = value(field, as);
        return value == null ? null : text(as, value);
    }

    /** An integer (decimal, 0x hexadecimal or 0o octal); null when absent or null. */
    Integer integer(String field) {
        Node value = value(field, field);
        if (value == null || isNull(value)) {
            return null;
        }
        if (!(value instanceof ScalarNode scalar) || !Tag.INT.equals(scalar.getTag())) {
            return wrongType(field, value, "must be a whole number");
        }
        BigInteger number = parseInteger(scalar.getValue());
        if (number == null) {
            invalid(field, "must be a whole number, found '" + quote(scalar.getValue()) + "'");
            return null;
        }
        if (number.bitLength() > 31) {
            invalid(field, quote(scalar.getValue()) + " is too large");
            return null;
        }
        return number.intValue();
    }

    /** A boolean ({@code true} or {@code false}); null when absent or null. */
    Boolean bool(String field) {
        Node value = value(field, field);
        if (value == null || isNull(value)) {
            return null;
        }
        if (value instanceof ScalarNode scalar && Tag.BOOL.equals(scalar.getTag())) {
            String text = scalar.getValue().toLowerCase(Locale.ROOT);
            if (text.equals("true") || text.equals("false")) {
                return text.equals("true");
            }
        }
        return wrongType(field, value, "must be true or false");
    }

    /** A point in time written as ISO 8601 with an offset; null when absent or null. */
    Instant instant(String field) {
        String text = text(field);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            invalid(field, "'" + quote(text) + "' is not a date and time; write it in ISO 8601 with a time zone, "
                    + "e.g. 2026-12-31T18:00:00Z");
            return null;
        }
    }

    /**
     * A list of texts, each remembered as {@code field[i]}; empty when absent or null.
     *
     * @param expected what the list holds, for messages: {@code key names, e.g. [alice, bob]}
     */
    List<String> list(String field, String expected) {
        Node value = value(field, field);
        if (value == null || isNull(value)) {
            return List.of();
        }
        if (!(value instanceof SequenceNode sequence)) {
            wrongType(field, value, "must be a list of " + expected);
            return List.of();
        }
        List<String> items = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            String at = field + "[" + items.size() + "]";
            locations.put(at, at(item));
            items.add(text(at, item));
        }
        return Collections.unmodifiableList(items);
    }

    /**
     * A mapping of texts to texts (labels, a selector), each value remembered as {@code field.key};
     * empty when absent or null. A value may be null (written as nothing); the rules decide.
     *
     * @param expected what the mapping holds, for messages: {@code label keys and values, e.g. {env: prod}}
     */
    Map<String, String> map(String field, String expected) {
        Node value = value(field, field);
        if (value == null || isNull(value)) {
            return Map.of();
        }
        if (!(value instanceof MappingNode mapping)) {
            wrongType(field, value, "must be a mapping of " + expected);
            return Map.of();
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        tuples(mapping, field).forEach((key, tuple) -> {
            String at = field + "." + key;
            locations.put(at, at(tuple.getValueNode()));
            pairs.put(key, text(at, tuple.getValueNode()));
        });
        return Collections.unmodifiableMap(pairs);
    }

    /**
     * The items of a section such as {@code platforms}; empty when absent or null.
     *
     * @param expected what the list holds, for messages
     */
    List<Node> items(String field, String expected) {
        Node value = value(field, field);
        if (value == null || isNull(value)) {
            return List.of();
        }
        if (value instanceof SequenceNode sequence) {
            return sequence.getValue();
        }
        wrongType(field, value, "must be a list of " + expected);
        return List.of();
    }

    /**
     * A nested mapping such as {@code settings}; null when absent or null.
     *
     * @param expected what the mapping holds, for messages
     */
    MappingNode mapping(String field, String expected) {
        Node value = value(field, field);
        if (value == null || isNull(value)) {
            return null;
        }
        if (value instanceof MappingNode mapping) {
            return mapping;
        }
        return wrongType(field, value, "must be a mapping of " + expected);
    }

    /**
     * The fields of a nested mapping such as an entry's {@code manages}, whose problems are prefixed
     * with this mapping's context and the field; null when absent or null.
     *
     * @param expected what the mapping holds, for messages
     */
    Fields nested(String field, String expected) {
        MappingNode node = mapping(field, expected);
        if (node == null) {
            return null;
        }
        return new Fields(file, context.isEmpty() ? field : context + ": " + field, node, problems);
    }

    /**
     * Records each problem the field rules found, at the place of the field it names (or of the nearest
     * enclosing field, or the entry), except for fields whose YAML type was already reported as wrong.
     */
    void report(Violations violations) {
        for (FieldError error : violations.errors()) {
            String field = error.field();
            if (!failed.contains(field) && !failed.contains(root(field))) {
                error(locate(field), field + ": " + error.message());
            }
        }
    }

    /** The location of {@code field}, else of the nearest enclosing field, else of the entry. */
    private Location locate(String field) {
        String path = field;
        while (true) {
            Location location = locations.get(path);
            if (location != null) {
                return location;
            }
            int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
            if (cut <= 0) {
                return entry;
            }
            path = path.substring(0, cut);
        }
    }

    /** {@code labels} for {@code labels.env}, {@code keys} for {@code keys[1]}. */
    private static String root(String field) {
        int dot = field.indexOf('.');
        int bracket = field.indexOf('[');
        int cut = dot < 0 ? bracket : bracket < 0 ? dot : Math.min(dot, bracket);
        return cut < 0 ? field : field.substring(0, cut);
    }

    /** The value node of {@code field}, its place remembered as {@code as}; null when absent. */
    private Node value(String field, String as) {
        NodeTuple tuple = tuples.get(field);
        if (tuple == null) {
            return null;
        }
        locations.put(as, at(tuple.getValueNode()));
        return tuple.getValueNode();
    }

    private String text(String field, Node value) {
        if (value instanceof ScalarNode scalar) {
            return isNull(scalar) ? null : scalar.getValue();
        }
        return wrongType(field, value, "must be text");
    }

    private <T> T wrongType(String field, Node value, String expected) {
        invalid(field, expected + ", found " + describe(value));
        return null;
    }

    /**
     * The pairs of {@code node} by key text, in document order. A key that is not text, or that is
     * given twice, is recorded as a problem; of a repeated key, the first is kept.
     *
     * @param owner the field holding {@code node} ({@code labels}), or null for this mapping itself
     */
    private Map<String, NodeTuple> tuples(MappingNode node, String owner) {
        Map<String, NodeTuple> pairs = new LinkedHashMap<>();
        for (NodeTuple tuple : node.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode key)) {
                error(at(keyNode), (owner == null ? "" : owner + ": ") + "a key must be text, found " + describe(keyNode));
                continue;
            }
            NodeTuple first = pairs.putIfAbsent(key.getValue(), tuple);
            if (first != null) {
                String field = quote(owner == null ? key.getValue() : owner + "." + key.getValue());
                error(at(keyNode), field + ": is given twice; the first is at " + at(first.getKeyNode()));
            }
        }
        return pairs;
    }

    private Location at(Node node) {
        return Problems.at(file, node);
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag());
    }

    /**
     * A YAML 1.2 core-schema integer: {@code [-+]?[0-9]+}, {@code 0o[0-7]+} or {@code 0x[0-9a-fA-F]+};
     * null for anything else (possible only with an explicit {@code !!int} tag).
     */
    private static BigInteger parseInteger(String text) {
        try {
            if (text.startsWith("0x")) {
                return new BigInteger(text.substring(2), 16);
            }
            if (text.startsWith("0o")) {
                return new BigInteger(text.substring(2), 8);
            }
            return new BigInteger(text.startsWith("+") ? text.substring(1) : text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code text}, shortened for a message. */
    private static String quote(String text) {
        return text.length() <= MAX_QUOTED ? text : text.substring(0, MAX_QUOTED) + "...";
    }
}

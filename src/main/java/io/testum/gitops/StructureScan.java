package io.testum.gitops;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionEndEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.DocumentStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;

/**
 * Reads the parser's events of one file before any node tree is built, and stops at the first
 * thing that would make the tree dangerous or ambiguous:
 * <ul>
 * <li>a second YAML document;</li>
 * <li>nesting deeper than {@link DocumentParser#MAX_DEPTH} levels, counting what aliases pull in;</li>
 * <li>more than {@link DocumentParser#MAX_ALIASES} aliases to lists or mappings (alias bombs);</li>
 * <li>aliases that would expand the text of the document beyond {@link #MAX_EXPANDED_CHARS} (a long
 * text repeated by aliases, which would be repeated again in every message about it);</li>
 * <li>an alias to the list or mapping it sits in (a structure without end), or to no anchor.</li>
 * </ul>
 * The event stream is read in constant stack space, which matters: the composer recurses once per
 * level, so a file of a million {@code [} must be refused here rather than overflow the stack there.
 */
final class StructureScan {

    /** The most text, in characters, of all scalars with every alias written out. */
    static final long MAX_EXPANDED_CHARS = DocumentParser.MAX_FILE_BYTES;

    /** An open list or mapping. */
    private static final class Frame {
        final String anchor;
        /** How much text the document had, aliases written out, when the collection opened. */
        final long expandedAtStart;
        /** The deepest nesting below this collection seen so far (0: only scalars). */
        int innerHeight;

        Frame(String anchor, long expandedAtStart) {
            this.anchor = anchor;
            this.expandedAtStart = expandedAtStart;
        }
    }

    /** What an anchor names: its levels of nesting (0 for a scalar) and its text with aliases written out. */
    private record Anchored(int height, long chars) {
    }

    private final Deque<Frame> open = new ArrayDeque<>();
    private final Map<String, Anchored> anchors = new HashMap<>();
    private int documents;
    private int collectionAliases;
    /** The characters of every scalar so far, aliases written out. */
    private long expanded;

    private StructureScan() {
    }

    /**
     * Reads every event; records the first problem (at its event) and returns false if there is one.
     * Malformed YAML surfaces as the parser's own exception, thrown from the iteration.
     */
    static boolean check(String file, Iterable<Event> events, Problems problems) {
        StructureScan scan = new StructureScan();
        for (Event event : events) {
            String problem = scan.accept(event);
            if (problem != null) {
                problems.add(Problems.at(file, event.getStartMark().orElse(null)), problem);
                return false;
            }
        }
        return true;
    }

    /** Takes one event; returns what is wrong with it, or null. */
    private String accept(Event event) {
        return switch (event) {
            case DocumentStartEvent start -> document();
            case CollectionStartEvent start -> openCollection(start.getAnchor().map(Anchor::getValue).orElse(null));
            case CollectionEndEvent end -> closeCollection();
            case ScalarEvent scalar -> {
                expanded += scalar.getValue().length();
                scalar.getAnchor().ifPresent(anchor -> anchors.put(anchor.getValue(),
                        new Anchored(0, scalar.getValue().length())));
                yield null;
            }
            case AliasEvent alias -> alias(alias.getAlias().getValue());
            default -> null;
        };
    }

    private String document() {
        documents++;
        return documents > 1
                ? "a second YAML document starts here; a file holds one document "
                        + "(remove this '---' line, or move what follows to a file of its own)"
                : null;
    }

    private String openCollection(String anchor) {
        open.push(new Frame(anchor, expanded));
        return open.size() > DocumentParser.MAX_DEPTH ? tooDeep() : null;
    }

    private String closeCollection() {
        Frame closed = open.pop();
        int height = closed.innerHeight + 1;
        if (closed.anchor != null) {
            anchors.put(closed.anchor, new Anchored(height, expanded - closed.expandedAtStart));
        }
        contains(height);
        return null;
    }

    private String alias(String anchor) {
        for (Frame frame : open) {
            if (anchor.equals(frame.anchor)) {
                return "alias *" + anchor + " refers to a list or mapping that contains it; "
                        + "a structure without end is not allowed";
            }
        }
        Anchored target = anchors.get(anchor);
        if (target == null) {
            return "alias *" + anchor + " refers to no anchor; define &" + anchor + " before using it";
        }
        if (target.height() > 0 && ++collectionAliases > DocumentParser.MAX_ALIASES) {
            return "more than " + DocumentParser.MAX_ALIASES + " aliases to lists or mappings; "
                    + "the limit guards against alias bombs (billion laughs): write the entries out instead";
        }
        expanded += target.chars();
        if (expanded > MAX_EXPANDED_CHARS) {
            return "with its aliases written out, the document's text would exceed " + MAX_EXPANDED_CHARS
                    + " characters here; the limit guards against alias bombs: write the values out instead";
        }
        if (open.size() + target.height() > DocumentParser.MAX_DEPTH) {
            return tooDeep();
        }
        contains(target.height());
        return null;
    }

    /** Notes that the innermost open collection holds a node of {@code height}. */
    private void contains(int height) {
        Frame parent = open.peek();
        if (parent != null) {
            parent.innerHeight = Math.max(parent.innerHeight, height);
        }
    }

    private static String tooDeep() {
        return "lists and mappings are nested more than " + DocumentParser.MAX_DEPTH
                + " levels deep here; a desired-state document needs at most 4";
    }
}

package io.testum.gitops;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import io.testum.gitops.DesiredDocument.Location;
import io.testum.gitops.DocumentParser.SourceFile;

/**
 * Turns the bytes of one file into a YAML 1.2 node tree (core schema), refusing files that are too
 * big, not UTF-8, malformed, or hostile ({@link StructureScan}). Nothing is constructed beyond
 * nodes: no Java objects are made from tags.
 */
final class YamlFile {

    private YamlFile() {
    }

    /**
     * Loads {@code source}; records why it cannot be read and returns empty when it cannot, or when it
     * holds no document at all.
     */
    static Optional<Node> load(SourceFile source, Problems problems) {
        String file = source.path();
        byte[] bytes = source.content();
        if (bytes.length > DocumentParser.MAX_FILE_BYTES) {
            problems.add(Problems.start(file), "the file is " + bytes.length + " bytes; a file may hold at most "
                    + DocumentParser.MAX_FILE_BYTES + " bytes (16 MiB): split it into several files of a folder");
            return Optional.empty();
        }
        String text = decode(file, bytes, problems);
        if (text == null) {
            return Optional.empty();
        }
        LoadSettings settings = settings(file);
        try {
            // The events are read once: checked, kept, and composed into nodes from the copy.
            List<Event> events = new ArrayList<>();
            Iterable<Event> recorded = () -> new RecordingIterator(new Parse(settings).parseString(text).iterator(), events);
            if (!StructureScan.check(file, recorded, problems)) {
                return Optional.empty();
            }
            return new Composer(settings, new Replay(events)).getSingleNode();
        } catch (MarkedYamlEngineException e) {
            problems.add(Problems.at(file, e.getProblemMark().orElse(null)), malformed(e));
        } catch (ReaderException e) {
            problems.add(endOf(file, prefix(text, e.getPosition())), String.format(
                    "malformed YAML: the character U+%04X is not allowed in YAML; remove it", e.getCodePoint()));
        } catch (YamlEngineException e) {
            problems.add(Problems.start(file), "malformed YAML: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** Passes events on and keeps a copy of each. */
    private record RecordingIterator(Iterator<Event> events, List<Event> copy) implements Iterator<Event> {
        @Override
        public boolean hasNext() {
            return events.hasNext();
        }

        @Override
        public Event next() {
            Event event = events.next();
            copy.add(event);
            return event;
        }
    }

    /** A parser that hands out recorded events again. */
    private static final class Replay implements Parser {
        private final List<Event> events;
        private int next;

        Replay(List<Event> events) {
            this.events = events;
        }

        @Override
        public boolean checkEvent(Event.ID choice) {
            return next < events.size() && events.get(next).getEventId() == choice;
        }

        @Override
        public Event peekEvent() {
            if (next >= events.size()) {
                throw new NoSuchElementException("no more YAML events");
            }
            return events.get(next);
        }

        @Override
        public Event next() {
            Event event = peekEvent();
            next++;
            return event;
        }

        @Override
        public boolean hasNext() {
            return next < events.size();
        }
    }

    private static LoadSettings settings(String file) {
        return LoadSettings.builder()
                .setLabel(file)
                .setSchema(new CoreSchema())
                .setCodePointLimit(DocumentParser.MAX_FILE_BYTES)
                .setMaxAliasesForCollections(DocumentParser.MAX_ALIASES)
                .setAllowRecursiveKeys(false)
                // non-text keys are reported at their place by Fields, not refused without one here
                .setAllowNonScalarKeys(true)
                .build();
    }

    /** The parser's problem, and what it was doing, in one line. */
    private static String malformed(MarkedYamlEngineException e) {
        String message = "malformed YAML: " + e.getProblem();
        String context = e.getContext();
        if (context != null && !context.isBlank()) {
            message += " (" + context
                    + e.getContextMark().map(mark -> " started at " + (mark.getLine() + 1) + ":"
                            + (mark.getColumn() + 1)).orElse("")
                    + ")";
        }
        return message;
    }

    /** Strict UTF-8, without a byte-order mark; null after recording where the first bad byte is. */
    private static String decode(String file, byte[] bytes, Problems problems) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        String text = out.flip().toString();
        if (result.isError()) {
            problems.add(endOf(file, text), String.format(
                    "the file is not UTF-8 text: byte 0x%02X at offset %d cannot be decoded; save the file as UTF-8",
                    bytes[in.position()] & 0xff, in.position()));
            return null;
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** The first {@code codePoints} code points of {@code text}. */
    private static String prefix(String text, int codePoints) {
        int count = Math.min(Math.max(codePoints, 0), text.codePointCount(0, text.length()));
        return text.substring(0, text.offsetByCodePoints(0, count));
    }

    /** The position just after {@code prefix}, the way the YAML parser counts lines and columns. */
    private static Location endOf(String file, String prefix) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < prefix.length(); i += Character.charCount(prefix.codePointAt(i))) {
            char c = prefix.charAt(i);
            boolean crlf = c == '\r' && i + 1 < prefix.length() && prefix.charAt(i + 1) == '\n';
            if (c == '\n' || (c == '\r' && !crlf)) {
                line++;
                column = 1;
            } else if (!crlf) {
                column++;
            }
        }
        return new Location(file, line, column);
    }
}

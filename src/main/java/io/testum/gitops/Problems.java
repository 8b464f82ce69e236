package io.testum.gitops;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

import io.testum.common.FieldError;
import io.testum.gitops.DesiredDocument.Location;

/**
 * Every problem found in the files of one document, each at a file position. The parser keeps going
 * after a problem so that one answer lists them all; {@link #throwIfAny()} ends the parse.
 */
final class Problems {

    /** Problems listed in one answer; a broken 16 MiB file should not answer with a million lines. */
    static final int MAX_LISTED = 500;

    private final List<String> files;
    private final List<FieldError> errors = new ArrayList<>();

    /** @param files the file paths in the order given, which is also the order problems are listed in */
    Problems(List<String> files) {
        this.files = files;
    }

    /** Records {@code message} at {@code location}. */
    void add(Location location, String message) {
        errors.add(FieldError.at(location.file(), location.line(), location.column(), message));
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    /**
     * Throws a {@link DocumentException} listing every problem, by file in the order given, then by
     * line and column.
     */
    void throwIfAny() {
        if (!errors.isEmpty()) {
            List<FieldError> sorted = new ArrayList<>(errors);
            sorted.sort(Comparator.comparingInt((FieldError e) -> files.indexOf(e.file()))
                    .thenComparingInt(FieldError::line)
                    .thenComparingInt(FieldError::column));
            if (sorted.size() > MAX_LISTED) {
                FieldError last = sorted.get(MAX_LISTED - 1);
                int more = sorted.size() - MAX_LISTED;
                sorted = new ArrayList<>(sorted.subList(0, MAX_LISTED));
                sorted.add(FieldError.at(last.file(), last.line(), last.column(), "and " + more
                        + " more problems after this one; fix these first"));
            }
            throw new DocumentException(sorted);
        }
    }

    /** The 1-based location of a 0-based parser mark; the file's start when the parser gave none. */
    static Location at(String file, Mark mark) {
        return mark == null ? start(file) : new Location(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    /** Where {@code node} starts. */
    static Location at(String file, Node node) {
        return at(file, node.getStartMark().orElse(null));
    }

    /** Line 1, column 1: for problems of the file as a whole. */
    static Location start(String file) {
        return new Location(file, 1, 1);
    }
}

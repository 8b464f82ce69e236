package io.testum.gitops;

import java.util.List;
import java.util.Objects;

/**
 * Reads a desired-state document (SPEC §3): one YAML file, or the {@code *.yaml}/{@code *.yml} files of
 * a folder merged in the order given, in the current format or the earlier {@code testum-config.yaml}
 * one ({@code ssh_key_name} for {@code credential}).
 * <p>
 * Every file is read to the end and every problem is collected, each with its file, line and column,
 * so that one failed run shows the author everything to fix. The checks are syntactic and per object,
 * the same rules the API applies, plus what spans files (names used twice, a public key listed twice,
 * two settings sections). References between objects are left to the planner: they may name objects
 * that live in the database.
 * <p>
 * A backup adds a {@code sources} section (GitOps sources without secrets, and the objects each one
 * managed); it is checked like the rest, acted on by a restore, and ignored by a GitOps reconcile, so
 * that a backup can be committed to Git as it stands.
 */
public final class DocumentParser {

    /** The largest file accepted, in bytes. */
    public static final int MAX_FILE_BYTES = 16 * 1024 * 1024;
    /** The most aliases to lists or mappings a file may use: more is taken for an alias bomb. */
    public static final int MAX_ALIASES = 50;
    /** The most objects a document may declare unless the caller says otherwise (testum.gitops.max-document-objects). */
    public static final int MAX_OBJECTS = 100_000;
    /** The deepest nesting of lists and mappings a file may have, aliases counted as written out. */
    public static final int MAX_DEPTH = 20;
    /**
     * The file names tried, in order, when a source names no path; the earlier format's list.
     */
    public static final List<String> DEFAULT_PATHS = List.of("testum-config.yaml", "testum.yaml",
            "testum-config.yml", "config/testum.yaml", ".testum/config.yaml");

    /**
     * One file of a document.
     *
     * @param path    the path shown in problems, relative to the repository root
     * @param content the file's bytes, UTF-8
     */
    public record SourceFile(String path, byte[] content) {

        public SourceFile {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(content, "content");
        }
    }

    private DocumentParser() {
    }

    /**
     * Parses and checks every file; all problems at once.
     *
     * @param files the files in the order their entries should keep; an empty file contributes nothing
     * @return the merged document
     * @throws DocumentException listing every error with file, line and column
     */
    public static DesiredDocument parse(List<SourceFile> files) {
        return parse(files, MAX_OBJECTS);
    }

    /**
     * Parses and checks every file; all problems at once.
     *
     * @param maxObjects the most entries (keys, credentials, platforms, access grants, sources) the
     *                   files may declare together; the first one beyond is a problem, and the rest
     *                   are not read
     */
    public static DesiredDocument parse(List<SourceFile> files, int maxObjects) {
        Problems problems = new Problems(files.stream().map(SourceFile::path).toList());
        DocumentBuilder document = new DocumentBuilder(problems, maxObjects);
        for (SourceFile file : files) {
            YamlFile.load(file, problems).ifPresent(root -> TopLevel.read(file.path(), root, problems, document));
        }
        problems.throwIfAny();
        return document.build();
    }
}

package io.testum.gitops;

import java.util.List;

/** Placeholder until the parser lands (same API). */
public final class DocumentParser {

    public static final List<String> DEFAULT_PATHS = List.of("testum-config.yaml", "testum.yaml", "testum-config.yml",
            "config/testum.yaml", ".testum/config.yaml");

    private DocumentParser() {
    }

    public record SourceFile(String path, byte[] content) {
    }

    public static DesiredDocument parse(List<SourceFile> files) {
        throw new UnsupportedOperationException("not yet");
    }
}

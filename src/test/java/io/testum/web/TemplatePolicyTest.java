package io.testum.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The pages run under a Content-Security-Policy without {@code 'unsafe-inline'}: no template may
 * hold an inline script, an event-handler attribute, a {@code javascript:} link or a style
 * attribute or block, or load anything from another site. The browser would refuse each of them.
 */
class TemplatePolicyTest {

    private static final Path TEMPLATES = Path.of("src/main/resources/templates");
    private static final List<Pattern> FORBIDDEN = List.of(
            Pattern.compile("<script(?![^>]*\\bsrc=\"/static/)[^>]*>", Pattern.CASE_INSENSITIVE),
            Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE),
            Pattern.compile("javascript:", Pattern.CASE_INSENSITIVE),
            Pattern.compile("\\sstyle\\s*=", Pattern.CASE_INSENSITIVE),
            Pattern.compile("<style", Pattern.CASE_INSENSITIVE),
            Pattern.compile("(src|href)=\"(https?:)?//", Pattern.CASE_INSENSITIVE));

    @Test
    void noTemplateHoldsInlineScriptHandlersStylesOrForeignResources() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(TEMPLATES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".html")).toList()) {
                String text = Files.readString(file);
                for (Pattern pattern : FORBIDDEN) {
                    Matcher m = pattern.matcher(text);
                    while (m.find()) {
                        found.add(TEMPLATES.relativize(file) + ": " + m.group());
                    }
                }
            }
        }
        assertThat(found).isEmpty();
    }
}

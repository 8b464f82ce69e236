package io.testum.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * {@code quarkus.qute.template-path-exclude} answers Qute's template file lookups for message
 * templates at once (at start Qute looks up every message as a file before its bundle supplies it).
 * The pattern must name every message bundle, and must not hide a page template. Reads the source
 * tree and the configuration as the build does.
 */
class MessageBundleNamesTest {

    private static final Path SOURCES = Path.of("src/main/java/io/testum");
    private static final Path TEMPLATES = Path.of("src/main/resources/templates");
    private static final Pattern BUNDLE = Pattern.compile("@MessageBundle\\(\\s*(?:value\\s*=\\s*)?\"([^\"]+)\"");

    @Test
    void everyMessageBundlesTemplatesAreLeftOutOfTheTemplateFileLookup() throws IOException {
        List<String> bundles = bundleNames();
        assertThat(bundles).as("message bundles in the sources").isNotEmpty();
        Pattern exclude = exclude();
        for (String bundle : bundles) {
            assertThat(exclude.matcher(bundle + "_nav_hosts").matches()).as(bundle + " default locale").isTrue();
            assertThat(exclude.matcher(bundle + "_ru_nav_hosts").matches()).as(bundle + " localized").isTrue();
        }
    }

    @Test
    void noPageTemplateIsLeftOutOfTheTemplateFileLookup() throws IOException {
        Pattern exclude = exclude();
        List<String> pages;
        try (Stream<Path> files = Files.walk(TEMPLATES)) {
            pages = files.filter(Files::isRegularFile).map(f -> TEMPLATES.relativize(f).toString().replace('\\', '/')).toList();
        }
        assertThat(pages).isNotEmpty();
        for (String page : pages) {
            String withoutSuffix = page.substring(0, page.lastIndexOf('.'));
            assertThat(exclude.matcher(page).matches()).as(page).isFalse();
            assertThat(exclude.matcher(withoutSuffix).matches()).as(withoutSuffix).isFalse();
        }
    }

    @Test
    void hiddenFilesStayLeftOutAsByQutesDefault() throws IOException {
        Pattern exclude = exclude();
        assertThat(exclude.matcher(".hidden.html").matches()).isTrue();
        assertThat(exclude.matcher("PlatformsPage/.platform.html.swp").matches()).isTrue();
        assertThat(exclude.matcher("msgPage/list.html").matches()).as("a page whose folder starts like a bundle").isFalse();
    }

    private static List<String> bundleNames() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).flatMap(f -> {
                try {
                    Matcher m = BUNDLE.matcher(Files.readString(f));
                    return m.results().map(r -> r.group(1)).toList().stream();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }

    private static Pattern exclude() throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"), StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        String pattern = properties.getProperty("quarkus.qute.template-path-exclude");
        assertThat(pattern).as("quarkus.qute.template-path-exclude").isNotNull();
        return Pattern.compile(pattern);
    }
}

package io.testum.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.flywaydb.core.internal.resolver.ChecksumCalculator;
import org.flywaydb.core.internal.resource.StringResource;
import org.junit.jupiter.api.Test;

/** The start's shortcut agrees with Flyway: the same migrations, the same checksums. */
class SchemaMigrationTest {

    @Test
    void indexListsEveryMigrationInTheSourceTreeWithFlywaysChecksum() throws IOException {
        Map<String, Integer> expected = new TreeMap<>();
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.getFileName().toString().matches("V.+__.+\\.sql"))::iterator) {
                String name = file.getFileName().toString();
                String version = name.substring(1, name.indexOf("__")).replace('_', '.');
                expected.put(version, ChecksumCalculator.calculate(new StringResource(Files.readString(file, StandardCharsets.UTF_8))));
            }
        }
        assertEquals(expected, new TreeMap<>(SchemaMigration.carried()));
    }

    @Test
    void computesChecksumsAsFlywayDoesWhateverTheLineEndingsAndByteOrderMark() {
        for (String text : new String[] {"", "CREATE TABLE a (id int);\n", "a\r\nb\r\n", "\uFEFFa\nb", "a\n\n\nb\n", "ä ö\n"}) {
            assertEquals(ChecksumCalculator.calculate(new StringResource(text)), SchemaMigration.checksum(text), text);
        }
    }
}

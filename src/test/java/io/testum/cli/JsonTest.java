package io.testum.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** testumctl's own JSON reader and writer. */
class JsonTest {

    @Test
    void readsObjectsInDocumentOrderWithEveryKindOfValue() {
        Object parsed = Json.parse(" {\"b\": 1, \"a\": [true, false, null, -2.5e3, \"x\"], \"c\": {\"d\": {}} , \"e\": []}\n");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("b", 1L);
        expected.put("a", Arrays.asList(true, false, null, new BigDecimal("-2.5e3"), "x"));
        expected.put("c", Map.of("d", Map.of()));
        expected.put("e", List.of());
        assertEquals(expected, parsed);
        assertEquals(List.of("b", "a", "c", "e"), List.copyOf(((Map<?, ?>) parsed).keySet()));
    }

    @Test
    void readsEscapesAndLargeNumbers() {
        assertEquals("q\"b\\s/\b\f\n\r\té€", Json.parse("\"q\\\"b\\\\s\\/\\b\\f\\n\\r\\t\\u00e9\\u20ac\""));
        assertEquals(new BigDecimal("123456789012345678901234567890"), Json.parse("123456789012345678901234567890"));
        assertEquals(Long.MAX_VALUE, Json.parse(Long.toString(Long.MAX_VALUE)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"a\" 1}|expected ':' at character 6",
            "[1, 2|expected ']' at character 6",
            "\"abc|unterminated string at character 5",
            "tru|unexpected text at character 1",
            "{} x|unexpected text after the value at character 4",
            "{a: 1}|expected a string as the name of a member at character 2"})
    void saysWhereTextIsNotJson(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text));
        assertEquals("not JSON: " + message, e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "{}", "[]", "\"\\u0001 ctl\"", "{\"k\":[1,{\"x\":null},\"a\\\"b\"],\"t\":true}", "-0.5" })
    void writesWhatItReads(String text) {
        assertEquals(text, Json.write(Json.parse(text)));
        assertEquals(Json.parse(text), Json.parse(Json.pretty(Json.parse(text))));
    }

    @Test
    void prettyPrintsWithTwoSpaces() {
        assertEquals("{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}", Json.pretty(Json.parse("{\"a\":[1,2],\"b\":{}}")));
    }

    @Test
    void refusesNestingDeeperThanItCanRead() {
        String deep = "[".repeat(1000) + "]".repeat(1000);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Json.parse(deep)).getMessage().contains("nested"));
    }
}

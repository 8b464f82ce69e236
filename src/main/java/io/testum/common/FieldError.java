package io.testum.common;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One thing wrong with a request or a document, and where: a JSON field path
 * ({@code labels.env}, {@code keys[2]}), or a file position.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(String field, String file, Integer line, Integer column, String message) {

    public static FieldError field(String field, String message) {
        return new FieldError(field, null, null, null, message);
    }

    public static FieldError at(String file, int line, int column, String message) {
        return new FieldError(null, file, line, column, message);
    }
}

package io.testum.common;

/**
 * The {@code page} (from 0) and {@code size} query parameters of a list call.
 */
public record PageRequest(int page, int size) {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 1000;

    /** Validates the raw parameters; missing ones take their defaults. */
    public static PageRequest of(Integer page, Integer size) {
        Violations violations = new Violations();
        int p = page == null ? 0 : page;
        int s = size == null ? DEFAULT_SIZE : size;
        violations.check(p >= 0, "page", "must be 0 or more");
        violations.check(s >= 1 && s <= MAX_SIZE, "size", "must be between 1 and " + MAX_SIZE);
        violations.throwIfAny();
        return new PageRequest(p, s);
    }

    public int offset() {
        return page * size;
    }
}

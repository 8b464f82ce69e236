package io.testum.common;

/**
 * Who owns an object: {@code api} (made through the API or UI), or a GitOps source. Git-managed
 * objects are read-only through the API.
 */
public final class Source {

    public static final String API = "api";

    private Source() {
    }

    /** Refuses a change through the API to an object that a GitOps source manages. */
    public static void requireApiManaged(String kind, String name, String source, String revision) {
        if (!API.equals(source)) {
            throw new ConflictException(kind + " '" + name + "' is managed by GitOps source '" + source + "'"
                    + (revision == null ? "" : " at revision " + revision)
                    + "; change it in Git, not through the API");
        }
    }
}

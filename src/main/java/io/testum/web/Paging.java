package io.testum.web;

import io.testum.common.Page;

/** Links to the previous and next page of a list, as {@code page} query values ("" when there is none). */
final class Paging {

    private Paging() {
    }

    static String previous(Page<?> page) {
        return page.page() > 0 ? Integer.toString(page.page() - 1) : "";
    }

    static String next(Page<?> page) {
        return (long) (page.page() + 1) * page.size() < page.total() ? Integer.toString(page.page() + 1) : "";
    }
}

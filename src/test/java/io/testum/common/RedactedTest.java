package io.testum.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

/** Exceptions as the log gets them: types and frames of the whole chain, messages only through a filter. */
class RedactedTest {

    private static String printed(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    @Test
    void keepsTypesAndFramesButNoMessageOfTheChain() {
        IOException root = new IOException("Not a ref: MASTER_KEY=s3cret\u0000PATH=/usr/bin");
        IllegalStateException top = new IllegalStateException("Fetching failed: MASTER_KEY=s3cret", root);
        Throwable redacted = Redacted.withoutMessages(top);
        String text = printed(redacted);
        assertFalse(text.contains("s3cret"), text);
        assertTrue(text.contains("java.lang.IllegalStateException (message withheld)"), text);
        assertTrue(text.contains("Caused by: java.io.IOException (message withheld)"), text);
        assertArrayEquals(top.getStackTrace(), redacted.getStackTrace());
        assertArrayEquals(root.getStackTrace(), redacted.getCause().getStackTrace());
        assertNull(redacted.getMessage());
    }

    @Test
    void passesMessagesThroughTheFilter() {
        Throwable redacted = Redacted.copy(new RuntimeException("token=abc"), m -> m.replace("abc", "***"));
        assertEquals("java.lang.RuntimeException: token=***", redacted.toString());
    }
}

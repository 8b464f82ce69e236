package io.testum.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.testum.common.Violations;

/** What a source, a diff or an import may name as its ref: branches, tags and full commit ids, nothing that walks a path. */
class GitRefsTest {

    @ParameterizedTest
    @ValueSource(strings = { "main", "release/2.1", "feature/JIRA-12_x", "v1.4.0", "HEAD", "a-b.c", "deadbeef",
            "0123456789abcdef0123456789abcdef01234567",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" })
    void acceptsBranchesTagsAndFullCommitIds(String ref) {
        assertTrue(GitRefs.isValid(ref), ref);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "..", "../../../proc/self/environ", "main/../../x", "a..b", "/etc/passwd", "refs/heads/main",
            "-upload-pack=touch", "x.lock", "a/x.lock/b", "a//b", ".hidden", "a/.b", "a/", "a.", "x@{1}", "@", "a b", "a\tb",
            "a\\b", "HEAD~1", "main^", "a:b", "a?b", "a*b", "a[b", "a\u0000b", "a\u007fb", "main\n" })
    void refusesWhatIsNotARefName(String ref) {
        assertFalse(GitRefs.isValid(ref), ref);
    }

    @org.junit.jupiter.api.Test
    void refusesNullAndOverlongNamesAndNeverEchoesTheValue() {
        assertFalse(GitRefs.isValid(null));
        assertFalse(GitRefs.isValid("a".repeat(GitRefs.MAX_LENGTH + 1)));
        assertTrue(GitRefs.isValid("a".repeat(GitRefs.MAX_LENGTH)));
        Violations v = new Violations();
        GitRefs.check("../../proc/self/environ", "ref", v);
        assertEquals(1, v.errors().size());
        assertEquals("ref", v.errors().get(0).field());
        assertFalse(v.errors().get(0).message().contains("environ"));
    }
}

package io.testum.gitops;

import java.util.regex.Pattern;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;

import io.testum.common.Violations;

/**
 * What testum accepts as the ref of a source, a diff or an import: the short name of a branch or a
 * tag ({@code main}, {@code release/2.1}, {@code v1.4.0}), or a full commit id. A name is checked
 * with JGit's rules for ref names (as {@code git check-ref-format}) before it is ever combined with
 * a path, so that {@code ..}, an absolute path or a NUL cannot lead a lookup out of the mirror.
 * Abbreviated commit ids, {@code HEAD~1}, {@code main@{1}} and full ref paths are refused.
 */
final class GitRefs {

    /** The longest ref accepted, in characters. */
    static final int MAX_LENGTH = 200;
    /** A full SHA-1 or SHA-256 commit id. */
    private static final Pattern FULL_ID = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    static final String RULE = "must be a branch, tag or full commit id: a Git ref name such as main, release/2.1 or v1.4.0 "
            + "(no '..', spaces, ~ ^ : ? * [ \\ or control characters, no part starting with '.' or ending with '.lock', "
            + "not starting with '-' or 'refs/', at most " + MAX_LENGTH + " characters), or a commit id of 40 hexadecimal "
            + "digits";

    private GitRefs() {
    }

    /** Whether {@code ref} is a full commit id. */
    static boolean isCommitId(String ref) {
        return ref != null && FULL_ID.matcher(ref).matches();
    }

    /** Whether {@code ref} is acceptable as a branch, tag or full commit id. */
    static boolean isValid(String ref) {
        if (ref == null || ref.isEmpty() || ref.length() > MAX_LENGTH) {
            return false;
        }
        if (isCommitId(ref)) {
            return true;
        }
        return !ref.contains("..") && !ref.startsWith("-") && !ref.startsWith("/") && !ref.startsWith("refs/")
                && !ref.contains("\\") && !ref.equals("@") && !ref.contains(".lock/")
                && Repository.isValidRefName(Constants.R_HEADS + ref)
                && Repository.isValidRefName(Constants.R_TAGS + ref);
    }

    /** Records {@link #RULE} against {@code field} unless {@code ref} is valid; never echoes the value. */
    static boolean check(String ref, String field, Violations v) {
        return v.check(isValid(ref), field, RULE);
    }
}

package io.testum.keys;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.testum.common.Names;
import io.testum.common.Violations;
import io.testum.inventory.Labels;
import io.testum.inventory.PlatformRules;

/** The rules of an access grant, shared by the API and the GitOps document parser. */
public final class AccessGrantRules {

    private AccessGrantRules() {
    }

    /** Every syntactic rule; whether the named keys and platforms exist is the caller's to check. */
    public static void check(AccessGrantRequest r, Violations v) {
        Names.checkObjectName(r.name(), "name", v);
        if (v.check(r.keys() != null && !r.keys().isEmpty(), "keys", "must name at least one key")) {
            checkNames(r.keys(), "keys", v, false);
        }
        boolean hasPlatforms = r.platforms() != null && !r.platforms().isEmpty();
        boolean hasSelector = r.selector() != null && !r.selector().isEmpty();
        v.check(hasPlatforms || hasSelector, "platforms",
                "a grant needs platforms, a selector, or both; otherwise it reaches no host");
        if (hasPlatforms) {
            checkNames(r.platforms(), "platforms", v, true);
        }
        Labels.check(r.selector(), "selector", v);
        if (r.user() != null) {
            PlatformRules.checkUsername(r.user(), "user", v);
        }
        AuthorizedKeysOptions.check(r.options(), "options", v);
        v.check(r.description() == null || r.description().length() <= KeyRules.MAX_DESCRIPTION, "description",
                "must be at most " + KeyRules.MAX_DESCRIPTION + " characters");
    }

    private static void checkNames(List<String> names, String field, Violations v, boolean platforms) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String at = field + "[" + i + "]";
            boolean valid = platforms ? Names.checkPlatformName(name, at, v) : Names.checkObjectName(name, at, v);
            if (valid) {
                v.check(seen.add(name), at, "'" + name + "' is listed twice");
            }
        }
    }
}

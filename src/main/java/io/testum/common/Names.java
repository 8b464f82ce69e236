package io.testum.common;

import java.util.regex.Pattern;

/**
 * The naming rules objects are addressed by in URLs and in Git documents.
 */
public final class Names {

    /** Platforms: a lowercase DNS label. */
    public static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** Keys, credentials and grants: letters, digits, '.', '_' and '-', starting with a letter or digit. */
    public static final Pattern OBJECT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    /** Kubernetes object names and label key prefixes: a lowercase RFC 1123 DNS subdomain, at most this long. */
    public static final int MAX_DNS_SUBDOMAIN = 253;
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private Names() {
    }

    /**
     * Whether {@code name} is a lowercase RFC 1123 DNS subdomain of at most {@value #MAX_DNS_SUBDOMAIN}
     * characters: dot-separated labels of a-z, 0-9 and '-', each starting and ending with a letter or digit.
     */
    public static boolean isDnsSubdomain(String name) {
        return name != null && name.length() <= MAX_DNS_SUBDOMAIN && DNS_SUBDOMAIN.matcher(name).matches();
    }

    /** Checks a platform name; returns whether it is valid. */
    public static boolean checkPlatformName(String name, String field, Violations violations) {
        return violations.required(name, field) && violations.check(DNS_LABEL.matcher(name).matches(), field,
                "must be a lowercase DNS label: a-z, 0-9 and '-', at most 63 characters, not starting or ending with '-'");
    }

    /** Checks a key, credential or grant name; returns whether it is valid. */
    public static boolean checkObjectName(String name, String field, Violations violations) {
        return violations.required(name, field) && violations.check(OBJECT_NAME.matcher(name).matches(), field,
                "must be 1 to 63 characters of A-Z, a-z, 0-9, '.', '_' and '-', starting with a letter or digit");
    }
}

package io.testum.inventory;

import java.util.regex.Pattern;

import io.testum.common.Names;
import io.testum.common.Violations;

/**
 * The field rules of a platform (SPEC §3), shared by the API and the GitOps document parser.
 * Each check records its problem against the field it names and returns whether the value passed.
 */
public final class PlatformRules {

    public static final int DEFAULT_PORT = 22;
    public static final String DEFAULT_AUTHORIZED_KEYS_PATH = "~/.ssh/authorized_keys";
    public static final String MODE_MERGE = "merge";
    public static final String MODE_EXCLUSIVE = "exclusive";
    public static final int MAX_DESCRIPTION = 1024;

    private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern NUMERIC_DOTTED = Pattern.compile("[0-9.]+");
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");
    private static final Pattern PATH_CHARS = Pattern.compile("[A-Za-z0-9._+@%=,:/-]+");
    private static final Pattern HOST_KEY = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");
    private static final int MAX_HOST = 253;
    private static final int MAX_PATH = 1024;

    private PlatformRules() {
    }

    public static boolean checkHost(String host, String field, Violations v) {
        if (!v.required(host, field)) {
            return false;
        }
        if (host.contains(":") || host.startsWith("[")) {
            return v.check(isIpv6(host), field, "'" + host + "' is not a valid IPv6 address (write it without brackets)");
        }
        if (NUMERIC_DOTTED.matcher(host).matches()) {
            return v.check(IPV4.matcher(host).matches(), field, "'" + host + "' is not a valid IPv4 address");
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        boolean valid = !name.isEmpty() && name.length() <= MAX_HOST;
        for (String label : name.split("\\.", -1)) {
            valid &= HOST_LABEL.matcher(label).matches();
        }
        return v.check(valid, field, "'" + host + "' is neither an IP address nor a valid host name "
                + "(letters, digits and '-' in dot-separated labels of at most 63 characters)");
    }

    public static boolean checkPort(Integer port, String field, Violations v) {
        return port == null || v.check(port >= 1 && port <= 65535, field, "must be between 1 and 65535");
    }

    public static boolean checkUsername(String username, String field, Violations v) {
        return v.required(username, field) && v.check(USERNAME.matcher(username).matches(), field,
                "'" + username + "' is not a valid POSIX user name: up to 32 characters of letters, digits, "
                        + "'_', '.' and '-', not starting with a digit, '.' or '-'");
    }

    public static boolean checkAuthMethod(String method, String field, Violations v) {
        return v.required(method, field) && v.check(isAuthMethod(method), field, "must be key or password");
    }

    public static boolean isAuthMethod(String method) {
        return "key".equals(method) || "password".equals(method);
    }

    public static boolean checkMode(String mode, String field, Violations v) {
        return mode == null || v.check(MODE_MERGE.equals(mode) || MODE_EXCLUSIVE.equals(mode), field,
                "must be merge (keep the lines testum does not manage) or exclusive (write only testum's block)");
    }

    /** {@code ~/...} or absolute; no {@code ..}; no shell metacharacters or spaces. */
    public static boolean checkAuthorizedKeysPath(String path, String field, Violations v) {
        if (path == null) {
            return true;
        }
        if (!v.check(path.startsWith("~/") || path.startsWith("/"), field,
                "must start with ~/ (the login user's home) or / (an absolute path)")) {
            return false;
        }
        String rest = path.startsWith("~/") ? path.substring(2) : path.substring(1);
        boolean ok = v.check(!rest.isEmpty() && !path.endsWith("/"), field, "must name a file, not a directory");
        ok &= v.check(path.length() <= MAX_PATH, field, "must be at most " + MAX_PATH + " characters");
        ok &= v.check(rest.isEmpty() || PATH_CHARS.matcher(rest).matches(), field,
                "may hold only letters, digits and . _ + @ % = , : / - (no spaces, quotes or shell metacharacters)");
        for (String segment : rest.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                ok &= v.check(false, field, "must not contain '.' or '..' segments");
                break;
            }
        }
        ok &= v.check(!rest.contains("//") && !rest.startsWith("/"), field, "must not contain empty segments (//)");
        return ok;
    }

    public static boolean checkHostKey(String hostKey, String field, Violations v) {
        return hostKey == null || v.check(HOST_KEY.matcher(hostKey).matches(), field,
                "must be a SHA256 fingerprint as ssh-keygen -l prints it: SHA256: and 43 base64 characters");
    }

    public static boolean checkDescription(String description, String field, Violations v) {
        return description == null || v.check(description.length() <= MAX_DESCRIPTION, field,
                "must be at most " + MAX_DESCRIPTION + " characters");
    }

    /** Every syntactic rule of a platform; references (the credential) are the caller's to check. */
    public static void check(PlatformRequest r, Violations v) {
        Names.checkPlatformName(r.name(), "name", v);
        checkHost(r.host(), "host", v);
        checkPort(r.port(), "port", v);
        checkUsername(r.username(), "username", v);
        checkAuthMethod(r.authMethod(), "auth_method", v);
        if (r.credential() != null) {
            Names.checkObjectName(r.credential(), "credential", v);
        }
        checkHostKey(r.hostKey(), "host_key", v);
        Labels.check(r.labels(), "labels", v);
        checkAuthorizedKeysPath(r.authorizedKeysPath(), "authorized_keys_path", v);
        checkMode(r.authorizedKeysMode(), "authorized_keys_mode", v);
        checkDescription(r.description(), "description", v);
    }

    /** An IPv6 literal: hex groups, at most one '::', optionally ending in dotted IPv4. No DNS lookup. */
    static boolean isIpv6(String host) {
        String address = host;
        int zone = address.indexOf('%');
        if (zone >= 0) {
            if (zone == address.length() - 1) {
                return false;
            }
            address = address.substring(0, zone);
        }
        int doubleColon = address.indexOf("::");
        if (doubleColon >= 0 && address.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        String[] halves = doubleColon >= 0
                ? new String[] {address.substring(0, doubleColon), address.substring(doubleColon + 2)}
                : new String[] {address};
        int groups = 0;
        for (int h = 0; h < halves.length; h++) {
            if (halves[h].isEmpty()) {
                continue;
            }
            String[] parts = halves[h].split(":", -1);
            for (int i = 0; i < parts.length; i++) {
                boolean last = h == halves.length - 1 && i == parts.length - 1;
                if (last && parts[i].contains(".")) {
                    if (!IPV4.matcher(parts[i]).matches()) {
                        return false;
                    }
                    groups += 2;
                } else if (parts[i].matches("[0-9A-Fa-f]{1,4}")) {
                    groups++;
                } else {
                    return false;
                }
            }
        }
        return doubleColon >= 0 ? groups <= 7 : groups == 8;
    }
}

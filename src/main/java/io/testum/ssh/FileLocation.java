package io.testum.ssh;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A file of one account on a host, as testum reads and writes it.
 *
 * @param path       {@code ~/...} (in the account's home) or absolute, as the platform declares it
 * @param account    the account whose file it is: it must own the file and the directories testum uses
 * @param switchUser true when testum is logged in as root and works on another account's file: the
 *                   commands then run as that account
 */
public record FileLocation(String path, String account, boolean switchUser) {

    /** The rules of SPEC §3, checked again here: these values are written into shell commands. */
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");
    private static final Pattern PATH = Pattern.compile("~/[A-Za-z0-9._+@%=,:/-]{1,1022}|/[A-Za-z0-9._+@%=,:/-]{1,1023}");

    public FileLocation {
        if (account == null || !ACCOUNT.matcher(account).matches()) {
            throw new SshFailure(SshFailure.Kind.REFUSED, "'" + account + "' is not a user name testum works with");
        }
        if (path == null || !PATH.matcher(path).matches() || path.endsWith("/") || path.contains("//")
                || List.of(path.split("/")).stream().anyMatch(s -> s.equals("..") || s.equals("."))) {
            throw new SshFailure(SshFailure.Kind.REFUSED, "'" + path + "' is not an authorized_keys path testum works with "
                    + "(~/... or absolute, without spaces, quotes, shell metacharacters or . and .. segments)");
        }
    }

    /** Whether the path is in the account's home. */
    boolean inHome() {
        return path.startsWith("~/");
    }

    /** The path the commands use: relative to the home for {@code ~/...}, else absolute. */
    String shellPath() {
        return inHome() ? path.substring(2) : path;
    }

    /**
     * The directories between the home and the file, outermost first ({@code .ssh}, then
     * {@code .ssh/keys}, ...); empty for an absolute path.
     */
    List<String> homeDirectories() {
        List<String> dirs = new ArrayList<>();
        if (!inHome()) {
            return dirs;
        }
        String rel = shellPath();
        for (int slash = rel.indexOf('/'); slash > 0; slash = rel.indexOf('/', slash + 1)) {
            dirs.add(rel.substring(0, slash));
        }
        return dirs;
    }

    /** The directory that holds the file, as the commands name it. */
    String directory() {
        String p = shellPath();
        int slash = p.lastIndexOf('/');
        return slash < 0 ? "." : slash == 0 ? "/" : p.substring(0, slash);
    }

    /** The file's own name. */
    String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}

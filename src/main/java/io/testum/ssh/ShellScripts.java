package io.testum.ssh;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The POSIX shell commands of {@link ShellFiles}. Each one is a single line (a C shell or fish
 * login shell takes it as well) run as {@code exec sh -c '...'}, so only {@code sh} interprets it;
 * it uses nothing beyond POSIX {@code sh}, {@code test -O} (dash, BusyBox ash, bash, ksh), {@code cat},
 * {@code mv}, {@code rm}, {@code mkdir} and a digest tool. It answers on standard output with a line
 * {@code testum-file:<nonce> <state>} (a read: followed by the file); it refuses with exit status
 * {@value #REFUSED} and fails with {@value #FAILED}, each with a line {@code testum:<reason> <path>}
 * on standard error.
 * <p>
 * Safety, in the command itself: every directory testum uses in the home and the file must not be a
 * symbolic link and must be owned by the account (checked with the account's own rights: when
 * testum is root acting for another account, the whole command runs as that account, through
 * {@code runuser}, {@code su} or {@code setpriv}, whichever the host has). A write puts the content
 * (from standard input) into a new temporary file beside the target under {@code umask 077},
 * checks that the temporary file is still the one it wrote and holds all of the content, then
 * renames it over the target only if the target still has the digest of what testum read. Any
 * failure removes the temporary file and leaves the target as it was.
 */
final class ShellScripts {

    static final String ANSWER = "testum-file:";
    static final String TEMP_MARKER = ".testum-";
    static final int REFUSED = 11;
    static final int FAILED = 12;

    /** Refuse ({@code r}) or fail ({@code e}) with a reason; directory and file checks; the digest of a file. */
    private static final String PRELUDE = String.join(" ",
            "umask 077;",
            "r() { echo \"testum:$1 $2\" >&2; exit " + REFUSED + "; };",
            "e() { echo \"testum:$1 $2\" >&2; exit " + FAILED + "; };",
            "if [ -n \"$1\" ]; then cd \"$1\" || e home \"$1\"; fi;",
            // dk DIR OWNED: 0 for a directory (that the account owns, when OWNED is 1), 1 when there is none
            "dk() { if [ -L \"$1\" ]; then r link \"$1\"; fi;",
            "if [ -d \"$1\" ]; then [ \"$2\" = 0 ] || [ -O \"$1\" ] || r owner \"$1\"; return 0; fi;",
            "if [ -e \"$1\" ]; then r dtype \"$1\"; fi; return 1; };",
            // fk: 0 for a regular file $f that the account owns, 1 when there is none
            "fk() { if [ -L \"$f\" ]; then r link \"$f\"; fi;",
            "if [ -e \"$f\" ]; then [ -f \"$f\" ] || r ftype \"$f\"; [ -O \"$f\" ] || r owner \"$f\"; return 0; fi; return 1; };",
            // ds FILE [FILE2]: the digests of one or two files into n and c, with one run of the host's tool
            "ds() { set -f; if command -v sha256sum >/dev/null 2>&1; then set -- sha256 2 $(sha256sum \"$@\");",
            "elif command -v shasum >/dev/null 2>&1; then set -- sha256 2 $(shasum -a 256 \"$@\");",
            "elif command -v sha256 >/dev/null 2>&1; then set -- sha256 1 $(sha256 -q \"$@\");",
            "elif command -v md5sum >/dev/null 2>&1; then set -- md5 2 $(md5sum \"$@\");",
            "elif command -v cksum >/dev/null 2>&1; then set -- cksum 3 $(cksum \"$@\");",
            "else set +f; n=none; c=none; return 0; fi; set +f; k=$1; w=$2; shift 2;",
            "if [ \"$k\" = cksum ]; then n=\"cksum:$1-$2\"; else n=\"$k:$1\"; fi;",
            "if [ $# -gt \"$w\" ]; then shift \"$w\"; else set --; fi;",
            "if [ \"$k\" = cksum ]; then c=\"cksum:$1-$2\"; else c=\"$k:$1\"; fi; };");

    private ShellScripts() {
    }

    /** Prints the file after the answer line {@code present}, or answers {@code absent}. */
    static String read(FileLocation location, String nonce) {
        String absent = "{ echo \"" + ANSWER + nonce + " absent\"; exit 0; }";
        return command(location, PRELUDE + " " + directories(location, absent) + " f=\"" + location.shellPath() + "\";"
                + " if fk; then echo \"" + ANSWER + nonce + " present\"; exec cat -- \"$f\"; fi;"
                + " echo \"" + ANSWER + nonce + " absent\"");
    }

    /** Replaces the file with standard input if it still has one of the digests {@code expected}. */
    static String replace(FileLocation location, String nonce, String temp, String expected, String incoming) {
        String glob = location.directory() + "/." + location.name() + TEMP_MARKER + "*";
        String body = String.join(" ",
                directories(location, null),
                "f=\"" + location.shellPath() + "\"; t=\"" + temp + "\";",
                "cl() { rm -f -- \"$t\"; }; trap cl EXIT; trap \"cl; exit " + FAILED + "\" HUP INT TERM PIPE;",
                // what an interrupted earlier write left
                "for x in " + glob + "; do if [ -L \"$x\" ] || [ -f \"$x\" ]; then rm -f -- \"$x\"; fi; done;",
                "set -C; cat > \"$t\" || e write \"$t\"; set +C;",
                "if [ -L \"$t\" ]; then r replaced \"$t\"; fi; [ -f \"$t\" ] && [ -O \"$t\" ] || r replaced \"$t\";",
                "sync \"$t\" 2>/dev/null;",
                // the temporary file and the target in one run of the digest tool, just before the rename
                "if fk; then ds \"$t\" \"$f\"; else ds \"$t\"; c=" + FileDigests.ABSENT + "; fi;",
                "if [ \"$n\" = none ]; then e nodigest \"$t\"; fi;",
                "case \" " + incoming + " \" in *\" $n \"*) ;; *) e short \"$t\";; esac;",
                "case \" " + expected + " \" in *\" $c \"*) ;; *) echo \"" + ANSWER + nonce + " changed\"; exit 0;; esac;",
                "mv -f -- \"$t\" \"$f\" || e rename \"$f\";",
                "echo \"" + ANSWER + nonce + " replaced\"");
        return command(location, PRELUDE + " " + body);
    }

    /** Removes the file if it still has one of the digests {@code expected}. */
    static String remove(FileLocation location, String nonce, String expected) {
        String gone = "{ echo \"" + ANSWER + nonce + " replaced\"; exit 0; }";
        String body = String.join(" ",
                directories(location, gone),
                "f=\"" + location.shellPath() + "\";",
                "if fk; then ds \"$f\"; c=$n; else " + gone + "; fi;",
                "if [ \"$c\" = none ]; then e nodigest \"$f\"; fi;",
                "case \" " + expected + " \" in *\" $c \"*) ;; *) echo \"" + ANSWER + nonce + " changed\"; exit 0;; esac;",
                "rm -f -- \"$f\" || e remove \"$f\";",
                "echo \"" + ANSWER + nonce + " replaced\"");
        return command(location, PRELUDE + " " + body);
    }

    /**
     * Checks each directory on the way to the file; {@code whenMissing} runs for the first missing
     * one, or (null) the missing directories in the home are created and a missing directory of an
     * absolute path fails.
     */
    private static String directories(FileLocation location, String whenMissing) {
        StringBuilder out = new StringBuilder();
        for (String dir : location.homeDirectories()) {
            out.append("dk \"").append(dir).append("\" 1 || ")
                    .append(whenMissing != null ? whenMissing : "mkdir -- \"" + dir + "\" || e mkdir \"" + dir + "\"")
                    .append("; ");
        }
        if (!location.inHome()) {
            String dir = location.directory();
            out.append("dk \"").append(dir).append("\" 0 || ")
                    .append(whenMissing != null ? whenMissing : "e nodir \"" + dir + "\"").append("; ");
        }
        return out.toString().strip();
    }

    /**
     * The whole command: the script under {@code sh}, as the login account, or, when testum is root
     * acting for another account, as that account in its home (from {@code getent}, else
     * {@code /etc/passwd}).
     */
    static String command(FileLocation location, String script) {
        String run = script;
        if (location.switchUser()) {
            run = String.join(" ",
                    "u=\"" + location.account() + "\"; h=;",
                    "if command -v getent >/dev/null 2>&1; then h=$(getent passwd \"$u\" | cut -d: -f6); fi;",
                    "if [ -z \"$h\" ]; then h=$(awk -F: -v u=\"$u\" \"\\$1 == u { print \\$6; exit }\" /etc/passwd); fi;",
                    "case \"$h\" in /*) ;; *) echo \"testum:noaccount $u\" >&2; exit " + FAILED + ";; esac;",
                    "i=\"" + doubleQuoted(script) + "\";",
                    "if command -v runuser >/dev/null 2>&1; then exec runuser -u \"$u\" -- sh -c \"$i\" testum \"$h\"; fi;",
                    "if command -v su >/dev/null 2>&1; then exec su -s /bin/sh \"$u\" -c \"$i\" testum \"$h\"; fi;",
                    "if command -v setpriv >/dev/null 2>&1 && setpriv --reuid=\"$u\" --regid=\"$(id -g \"$u\")\" --init-groups -- sh -c :",
                    "2>/dev/null; then exec setpriv --reuid=\"$u\" --regid=\"$(id -g \"$u\")\" --init-groups -- sh -c \"$i\" testum",
                    "\"$h\"; fi;",
                    "echo \"testum:noswitch $u\" >&2; exit " + FAILED);
        }
        if (run.indexOf('\'') >= 0 || run.indexOf('\n') >= 0) {
            throw new IllegalStateException("a shell command of testum holds a quote or a line break");
        }
        return "exec sh -c '" + run + "'";
    }

    /** {@code script} inside double quotes: it holds no backslash, so only {@code " $ `} need one. */
    private static String doubleQuoted(String script) {
        if (script.indexOf('\\') >= 0) {
            throw new IllegalStateException("a nested shell command of testum holds a backslash");
        }
        return script.replace("\"", "\\\"").replace("$", "\\$").replace("`", "\\`");
    }

    /** The failure a refusing or failing command reported, in the words of the configured path. */
    static SshFailure failure(FileLocation location, int exit, String stderr) {
        String line = stderr.lines().filter(l -> l.startsWith("testum:")).reduce((a, b) -> b).orElse("testum:? ?");
        String[] parts = line.substring("testum:".length()).split(" ", 2);
        String reason = parts[0];
        String path = parts.length > 1 ? shown(location, parts[1]) : location.path();
        String account = location.account();
        String other = excerpt(stderr);
        String message = switch (reason) {
            case "link" -> path + " is a symbolic link; testum does not read or write " + account
                    + "'s keys through a link (make it a real file or directory that " + account + " owns)";
            case "owner" -> path + " is not owned by " + account + "; testum only reads and writes files and directories "
                    + "the account owns";
            case "ftype" -> path + " is not a regular file";
            case "dtype" -> path + " is not a directory";
            case "replaced" -> "the temporary file " + path + " was replaced while testum wrote it; nothing was renamed over "
                    + location.path();
            case "short" -> "the temporary file " + path + " did not receive all of the new content (was the connection "
                    + "cut?); nothing was renamed over " + location.path();
            case "nodigest" -> "the host has none of sha256sum, shasum, sha256, md5sum or cksum, so testum cannot tell "
                    + "whether " + location.path() + " changed while it wrote it; nothing was replaced";
            case "home" -> "cannot enter the home directory of " + account;
            case "mkdir" -> "cannot create the directory " + path + (other.isEmpty() ? "" : ": " + other);
            case "nodir" -> "the directory " + path + " does not exist";
            case "write", "rename", "remove" -> "cannot " + reason + " " + path + (other.isEmpty() ? "" : ": " + other);
            case "noaccount" -> "account '" + account + "' does not exist on the host";
            case "noswitch" -> "the host offers none of runuser, su or setpriv, so testum cannot act as " + account
                    + " (it does not work on another account's files as root)";
            default -> "the command on " + location.path() + " failed" + (other.isEmpty() ? "" : ": " + other);
        };
        return new SshFailure(exit == REFUSED ? SshFailure.Kind.REFUSED : SshFailure.Kind.FAILED, message);
    }

    /** A path the command printed, as the platform declares it ({@code ~/...} for one in the home). */
    private static String shown(FileLocation location, String path) {
        if (path.startsWith("/")) {
            return path;
        }
        return "~/" + (path.startsWith("./") ? path.substring(2) : path);
    }

    /** The host's own error lines (not testum's), short enough for a message. */
    static String excerpt(String stderr) {
        String text = Arrays.stream(stderr.split("\r?\n")).map(String::strip).filter(l -> !l.isEmpty())
                .filter(l -> !l.startsWith("testum:")).limit(3).collect(Collectors.joining(" / "));
        text = text.replaceAll("\\p{Cntrl}", "?");
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}

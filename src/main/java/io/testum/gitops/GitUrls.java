package io.testum.gitops;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Git URLs as testum shows and logs them: never with the user-info a URL may carry
 * ({@code https://user:token@host}, {@code https://TOKEN@host}). Every URL in a text is masked,
 * wherever it came from: the source's own URL, or one quoted in an error of JGit or the server.
 */
public final class GitUrls {

    /** A scheme and its authority up to the end of the user-info: the last '@' before the path. */
    private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)([^/?#\\s]*)@");
    private static final String MASK = "***";

    private GitUrls() {
    }

    /**
     * {@code text} with the user-info of every URL in it replaced by {@code ***}:
     * {@code https://***@git.example.com/ops.git}. An {@code ssh://} URL keeps its user name, which
     * names an account, not a secret ({@code ssh://git@host/ops.git}), but not a password.
     */
    public static String mask(String text) {
        if (text == null || text.indexOf('@') < 0) {
            return text;
        }
        Matcher m = USER_INFO.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String scheme = m.group(1);
            String user = sshUser(scheme, m.group(2));
            String kept = user == null ? MASK : m.group(2).equals(user) ? user : user + ":" + MASK;
            m.appendReplacement(out, Matcher.quoteReplacement(scheme + kept + "@"));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * {@code url} as a backup writes it: without any user-info for http(s), git and file URLs (a
     * token may be written as the user name, {@code https://TOKEN@host}); an ssh:// URL keeps its
     * user name only.
     */
    static String withoutSecrets(String url) {
        if (url == null) {
            return null;
        }
        Matcher m = USER_INFO.matcher(url);
        if (!m.lookingAt()) {
            return url;
        }
        String scheme = m.group(1);
        String user = sshUser(scheme, m.group(2));
        if (user != null) {
            return scheme + user + "@" + url.substring(m.end());
        }
        return scheme + url.substring(m.end());
    }

    /** The user name of an ssh:// URL's user-info, without a password; null for other schemes. */
    private static String sshUser(String scheme, String userInfo) {
        if (!scheme.equalsIgnoreCase("ssh://") || userInfo.isEmpty() || userInfo.indexOf('@') >= 0) {
            return null;
        }
        int colon = userInfo.indexOf(':');
        return colon < 0 ? userInfo : colon == 0 ? null : userInfo.substring(0, colon);
    }
}

package io.testum.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/** {@code login}, {@code logout} and {@code whoami}. */
final class SessionCommands {

    private SessionCommands() {
    }

    /**
     * {@code login --url URL -u USER [--password-stdin]}: the password from standard input or the
     * terminal, never from the command line; the token pair goes to the configuration file.
     */
    static int login(Args args, Terminal t) {
        String url = Api.normalize(args.option("--url"));
        String user = args.option("-u", "--username", "--user");
        boolean stdin = args.flag("--password-stdin");
        args.exactly();
        if (url == null) {
            url = Api.normalize(t.env().get("TESTUM_URL"));
        }
        if (url == null) {
            throw new UsageException("login needs --url, e.g. testumctl login --url http://localhost:8080 -u admin");
        }
        if (user == null || user.isBlank()) {
            throw new UsageException("login needs -u USER");
        }
        String password = stdin ? readStdin(t) : prompt(t, user, url);
        if (password.isEmpty()) {
            throw new UsageException("the password is empty");
        }
        Map<String, Object> tokens = Api.login(Api.client(), url, user, password);
        new Config(url, (String) tokens.get("access_token"), (String) tokens.get("refresh_token")).save(t.home());
        t.out().println("Logged in to " + url + " as " + user + " (tokens in " + Config.file(t.home()) + ")");
        return 0;
    }

    /** {@code logout}: ends the session on the service (when it still answers) and forgets the tokens. */
    static int logout(Args args, Terminal t) {
        args.exactly();
        Config stored = Config.load(t.home());
        if (!stored.loggedIn()) {
            t.out().println("Not logged in");
            return 0;
        }
        String warning = null;
        try {
            Api.open(new Terminal(t.in(), t.out(), t.err(), t.home(), Map.of(), t.password())).post("/api/auth/logout", null);
        } catch (ApiException e) {
            warning = e.getMessage();
        }
        new Config(stored.url(), null, null).save(t.home());
        if (warning != null) {
            t.err().println("testumctl: the service did not end the session (" + warning + "); the tokens are forgotten here");
        }
        t.out().println("Logged out of " + stored.url());
        return 0;
    }

    /** {@code whoami}: who the stored login (or TESTUM_TOKEN) is. */
    static int whoami(Args args, Terminal t) {
        boolean json = args.flag("--json");
        args.exactly();
        Api api = Api.open(t);
        Map<String, Object> me = Api.object(api.get("/api/users/me"));
        if (json) {
            Output.json(t.out(), me);
        } else {
            t.out().println(me.get("username") + " (" + me.get("role") + ") at " + api.url());
        }
        return 0;
    }

    private static String readStdin(Terminal t) {
        try {
            String text = new String(t.in().readAllBytes(), StandardCharsets.UTF_8);
            return text.replaceAll("\\r?\\n\\z", "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the password from standard input: " + e.getMessage(), e);
        }
    }

    private static String prompt(Terminal t, String user, String url) {
        if (t.password() == null) {
            throw new UsageException("no terminal to ask the password on; pipe it in with --password-stdin");
        }
        char[] typed = t.password().apply("Password for " + user + " at " + url + ": ");
        if (typed == null) {
            throw new UsageException("no password given");
        }
        String password = new String(typed);
        Arrays.fill(typed, '\0');
        return password;
    }
}

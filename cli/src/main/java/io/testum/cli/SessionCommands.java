package io.testum.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code login}, {@code logout} and {@code whoami}. */
final class SessionCommands {

    private SessionCommands() {
    }

    /**
     * {@code login --url URL -u USER [--password-stdin]}: the password from standard input or the
     * terminal, never from the command line; the token pair goes to the configuration file.
     */
    @Command(name = "login", description = "Sign in; the tokens go to ~/.testum/config.json (mode 0600).")
    static final class Login extends BaseCommand {

        @Option(names = "--url", paramLabel = "URL", description = "The service, e.g. http://localhost:8080 (default: TESTUM_URL).")
        String url;

        @Option(names = { "-u", "--username", "--user" }, paramLabel = "USER", required = true, description = "The testum user.")
        String user;

        @Option(names = "--password-stdin", description = "Read the password from standard input instead of asking for it.")
        boolean stdin;

        @Override
        public Integer call() {
            Terminal t = terminal();
            String base = Api.normalize(url != null ? url : t.env().get("TESTUM_URL"));
            if (base == null) {
                throw usage("login needs --url, e.g. testumctl login --url http://localhost:8080 -u admin");
            }
            if (user.isBlank()) {
                throw usage("login needs -u USER");
            }
            String password = stdin ? readStdin(t) : prompt(t, base);
            if (password.isEmpty()) {
                throw usage("the password is empty");
            }
            Map<String, Object> tokens = Api.login(Api.client(), base, user, password);
            new Config(base, (String) tokens.get("access_token"), (String) tokens.get("refresh_token")).save(t.home());
            out().println("Logged in to " + base + " as " + user + " (tokens in " + Config.file(t.home()) + ")");
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

        private String prompt(Terminal t, String base) {
            if (t.password() == null) {
                throw usage("no terminal to ask the password on; pipe it in with --password-stdin");
            }
            char[] typed = t.password().apply("Password for " + user + " at " + base + ": ");
            if (typed == null) {
                throw usage("no password given");
            }
            String password = new String(typed);
            Arrays.fill(typed, '\0');
            return password;
        }
    }

    /** {@code logout}: ends the session on the service (when it still answers) and forgets the tokens. */
    @Command(name = "logout", description = "End the session and forget the tokens.")
    static final class Logout extends BaseCommand {
        @Override
        public Integer call() {
            Terminal t = terminal();
            Config stored = Config.load(t.home());
            if (!stored.loggedIn()) {
                out().println("Not logged in");
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
                err().println("testumctl: the service did not end the session (" + warning + "); the tokens are forgotten here");
            }
            out().println("Logged out of " + stored.url());
            return 0;
        }
    }

    /** {@code whoami}: who the stored login (or TESTUM_TOKEN) is. */
    @Command(name = "whoami", description = "The signed-in user and role.")
    static final class Whoami extends BaseCommand {

        @Mixin
        JsonOption output = new JsonOption();

        @Override
        public Integer call() {
            Api api = api();
            Map<String, Object> me = Api.object(api.get("/api/users/me"));
            if (output.structured()) {
                output.print(out(), me);
            } else {
                out().println(me.get("username") + " (" + me.get("role") + ") at " + api.url());
            }
            return 0;
        }
    }
}

package io.testum.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * Where a testumctl invocation reads and writes: standard streams, the home directory that holds
 * {@code .testum/config.json}, the environment, and the terminal to ask a password on (null when
 * there is none). Tests pass their own.
 *
 * @param password asks for a password with the prompt given; null without a terminal
 */
record Terminal(InputStream in, PrintStream out, PrintStream err, Path home, Map<String, String> env,
        Function<String, char[]> password) {

    /**
     * The process's own streams, environment and console; the home directory is {@code $HOME} as
     * shells and other tools take it, else {@code user.home}.
     */
    static Terminal system() {
        java.io.Console console = System.console();
        String home = System.getenv("HOME");
        return new Terminal(System.in, System.out, System.err,
                Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home), System.getenv(),
                console == null ? null : prompt -> console.readPassword("%s", prompt));
    }
}

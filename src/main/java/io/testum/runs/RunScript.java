package io.testum.runs;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import io.testum.common.Violations;
import io.testum.ssh.Shell;

/**
 * A run's script: program text for an interpreter, with arguments and environment. Everything
 * travels on the session's standard input, to one fixed command ({@link #REMOTE_COMMAND}): a
 * POSIX shell reads a short prologue that exports the environment and hands the script, as a
 * here-document, to the interpreter on its standard input. So the script and the environment's
 * values never appear in the host's process list, its shell history or an SSH log line; the
 * arguments do, once the interpreter runs, as any program's arguments do.
 *
 * @param env names and values; the values are sealed at rest and never shown
 */
public record RunScript(String script, String interpreter, List<String> args, Map<String, String> env) {

    /** What the host is asked to execute; the script and its environment follow on stdin. */
    public static final String REMOTE_COMMAND = "sh -s";

    /** The interpreter when a run names none. */
    public static final String DEFAULT_INTERPRETER = "/bin/sh";

    static final int MAX_ARGS = 64;
    static final int MAX_ARG_BYTES = 4096;
    static final int MAX_ENV = 64;
    static final int MAX_ENV_VALUE_BYTES = 32 * 1024;

    /** A program name or an absolute path: nothing the shell would interpret. */
    private static final Pattern INTERPRETER = Pattern.compile("/?[A-Za-z0-9._+-]+(/[A-Za-z0-9._+-]+)*");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Interpreters that take a script on stdin with {@code -s} (then its arguments); the others take {@code -}. */
    private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "ash", "ksh", "mksh", "zsh", "yash");

    public RunScript {
        interpreter = interpreter == null || interpreter.isBlank() ? DEFAULT_INTERPRETER : interpreter;
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    /** Checks the script of a request; {@code maxBytes} is {@code testum.runs.max-script-bytes}. */
    static void check(RunScript s, int maxBytes, Violations v) {
        if (s.script() == null || s.script().isBlank()) {
            v.add("script", "is required");
        } else if (s.script().getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            v.add("script", "is longer than " + maxBytes + " bytes (testum.runs.max-script-bytes)");
        } else if (s.script().indexOf('\0') >= 0) {
            v.add("script", "must not contain NUL characters");
        }
        v.check(s.interpreter().length() <= 256 && INTERPRETER.matcher(s.interpreter()).matches(), "interpreter",
                "must be a program name or an absolute path (letters, digits, '.', '_', '+', '-', '/'), e.g. python3 or /bin/bash");
        v.check(s.args().size() <= MAX_ARGS, "args", "may hold at most " + MAX_ARGS + " arguments");
        for (int i = 0; i < s.args().size(); i++) {
            String arg = s.args().get(i);
            if (arg == null || arg.indexOf('\0') >= 0 || arg.getBytes(StandardCharsets.UTF_8).length > MAX_ARG_BYTES) {
                v.add("args[" + i + "]", "must be text of at most " + MAX_ARG_BYTES + " bytes without NUL characters");
            }
        }
        v.check(s.env().size() <= MAX_ENV, "env", "may hold at most " + MAX_ENV + " variables");
        s.env().forEach((name, value) -> {
            if (name == null || !ENV_NAME.matcher(name).matches()) {
                v.add("env", "'" + name + "' is not a variable name (a letter or '_', then letters, digits or '_')");
            } else if (value == null || value.indexOf('\0') >= 0
                    || value.getBytes(StandardCharsets.UTF_8).length > MAX_ENV_VALUE_BYTES) {
                v.add("env." + name, "must be text of at most " + MAX_ENV_VALUE_BYTES + " bytes without NUL characters");
            }
        });
    }

    /** What {@link #REMOTE_COMMAND} reads on stdin: the environment exported, then the interpreter on the script. */
    byte[] stdin() {
        StringBuilder in = new StringBuilder();
        env.forEach((name, value) -> in.append(name).append('=').append(Shell.quote(value)).append("; export ")
                .append(name).append('\n'));
        String delimiter = delimiter(script);
        in.append("exec ").append(Shell.quote(interpreter)).append(' ')
                .append(SHELLS.contains(baseName(interpreter)) ? "-s" : "-");
        args.forEach(a -> in.append(' ').append(Shell.quote(a)));
        in.append(" <<'").append(delimiter).append("'\n").append(script);
        if (!script.endsWith("\n")) {
            in.append('\n');
        }
        in.append(delimiter).append('\n');
        return in.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A here-document delimiter that is no line of the script. */
    private static String delimiter(String script) {
        Set<String> lines = Set.copyOf(script.lines().toList());
        while (true) {
            String candidate = "TESTUM_SCRIPT_" + UUID.randomUUID().toString().replace("-", "");
            if (!lines.contains(candidate)) {
                return candidate;
            }
        }
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
